using System.Text.Json;
using Recontext.Store;
using LiteDatabase = LiteDB.LiteDatabase;

namespace Recontext.Store.Tests;

public sealed class RunStatusTests
{
    [Fact]
    public void AStatusTravelsByItsName()
    {
        Assert.Equal(["queued", "running", "completed", "stopped", "failed"], RunStatuses.All.Select(s => s.Name()));
        Assert.All(RunStatuses.All, s => Assert.Equal(s, RunStatuses.Parse(s.Name())));
        Assert.Equal("{\"s\":\"stopped\"}", JsonSerializer.Serialize(new { s = RunStatus.Stopped }));
        Assert.Equal(RunStatus.Failed, JsonSerializer.Deserialize<RunStatus>("\"failed\""));
        Assert.Contains("allowed: queued, running, completed, stopped, failed", Assert.Throws<FormatException>(() => RunStatuses.Parse("Running")).Message);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RunStatus>("\"done\""));
        Assert.Equal([true, true, false, false, false], RunStatuses.All.Select(s => s.IsActive()));
    }

    [Fact]
    public void TheEmbeddedStoreKeepsTheNameAsText()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("recontext-status-").FullName, "traces.db");
        try
        {
            using (var store = new LiteDbRunStore(path)) store.SaveRun(new RunDocument { Id = "r", Name = "r", Status = RunStatus.Stopped });
            using (var raw = new LiteDatabase(path)) Assert.Equal("stopped", raw.GetCollection("runs").FindById("r")["Status"].AsString);
            using (var store = new LiteDbRunStore(path)) Assert.Equal(RunStatus.Stopped, store.FindRun("r")!.Status);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
