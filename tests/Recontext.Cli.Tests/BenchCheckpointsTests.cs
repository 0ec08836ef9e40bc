namespace Recontext.Cli.Tests;

/// <summary>`recontext bench checkpoints` runs end to end on the tiny shape: every table, and the ratio against the
/// PyTorch reference as its last line. (Numbers are read by people, never asserted: the machine is shared.)</summary>
public sealed class BenchCheckpointsTests
{
    [Fact]
    public void TheTinyBenchmarkPrintsEveryMeasureAndTheReferenceRatio()
    {
        var result = RecontextCli.Run("bench", "checkpoints", "--size", "tiny", "--quick");
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        foreach (var expected in new[] { "load time", "resident memory added by loading", "generation (prompt 32", "scoring: forward pass", "PyTorch reference", "LoRA GRPO step", "gradientCheckpointing (layer by layer)", "gradient checkpointing: " })
            Assert.Contains(expected, result.Out);
        var last = result.Out.TrimEnd().Split('\n')[^1];
        Assert.Matches(@"^scoring speed vs the PyTorch reference: \d+\.\d\dx$", last.Trim());
    }
}
