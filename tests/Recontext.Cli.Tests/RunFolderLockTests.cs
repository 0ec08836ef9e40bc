using Recontext.Runs;
using Recontext.TestSupport;

namespace Recontext.Cli.Tests;

/// <summary>A results folder belongs to one run: a second `recontext run` into it is refused before it writes anything.</summary>
public sealed class RunFolderLockTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-cli-lock-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void ARunRefusedByTheFoldersLockLeavesTheFirstRunsExperimentAlone()
    {
        var first = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "experiments", "standard.yaml"));
        File.WriteAllText(Path.Combine(root, "experiment.yaml"), first);
        using (RunFolderLock.Take(root))   // the first run, still working
        {
            var second = RecontextCli.Run("run", Path.Combine(RepositoryRoot.Path, "experiments", "quick-smoke.yaml"), "--out", root);
            Assert.Equal(2, second.ExitCode);
            Assert.Contains("is in use by another run", second.Error);
            Assert.Equal(first, File.ReadAllText(Path.Combine(root, "experiment.yaml")));
            Assert.False(Directory.Exists(Path.Combine(root, "seed-1")), "the refused run must not start a seed");
        }
    }
}
