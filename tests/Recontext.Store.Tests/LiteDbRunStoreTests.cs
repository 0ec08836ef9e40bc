using Recontext.Store;

namespace Recontext.Store.Tests;

public sealed class LiteDbRunStoreTests : RunStoreContract, IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-store-").FullName;

    protected override IRunStore Open() => RunStores.Open(null, root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void TheEmbeddedStoreIsOneFileInTheRunFolder()
    {
        using (var store = Open()) store.SaveRun(new RunDocument { Id = "a/seed-1/x", Name = "a" });
        Assert.True(File.Exists(Path.Combine(root, RunStores.EmbeddedFile)));
    }

    [Fact]
    public void AnUnknownStoreUrlIsRefusedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => RunStores.Open("postgres://db/traces", root));
        Assert.Contains("store must be a mongodb://", error.Message);
        Assert.Contains("postgres://db/traces", error.Message);
    }

    [Fact]
    public void AReaderBesideTheOpenWriterSeesEachSavedBatchAndNeverWrites()
    {
        using var writer = Open();
        writer.SaveRollouts([Rollout("w/seed-1/a", 1, 0)]);
        for (int step = 2; step <= 4; step++)
        {
            // A fresh reader per look, as the dashboard opens one per request, while the run keeps its store open.
            using (var reader = RunStores.OpenReader(null, root))
                Assert.Equal(step - 1, reader.Rollouts("w/seed-1/a").Count);
            writer.SaveRollouts([Rollout("w/seed-1/a", step, 0)]);
        }
        using var last = RunStores.OpenReader(null, root);
        Assert.Equal([1, 2, 3, 4], last.Rollouts("w/seed-1/a").Select(r => r.Step));
        Assert.ThrowsAny<Exception>(() => last.SaveRollouts([Rollout("w/seed-1/a", 5, 0)]));
        Assert.Equal(4, writer.Rollouts("w/seed-1/a").Count);
    }

    /// <summary>A traces.db cut in half (a disk that filled, a copy interrupted) is named, with what to do, wherever the
    /// damage shows: on opening, reading the run or its rollouts, or writing.</summary>
    [Fact]
    public void AHalfTruncatedStoreIsNamedNotALiteDbError()
    {
        using (var store = Open())
        {
            store.SaveRun(new RunDocument { Id = "t/seed-1/x", Name = "t" });
            for (int step = 1; step <= 40; step++) store.SaveRollouts(Enumerable.Range(0, 20).Select(i => Rollout("t/seed-1/x", step, i)).ToArray());
        }
        var path = Path.Combine(root, RunStores.EmbeddedFile);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            using var store = Open();
            store.FindRun("t/seed-1/x");
            store.Rollouts("t/seed-1/x");
            store.DeleteRolloutsAfter("t/seed-1/x", 3);
            store.SaveRun(new RunDocument { Id = "t/seed-1/x", Name = "t" });
        });
        Assert.Contains(path, error.Message);
        Assert.Contains("is damaged", error.Message);
    }
}
