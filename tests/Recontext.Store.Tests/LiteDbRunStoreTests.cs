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
}
