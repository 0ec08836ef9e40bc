using Recontext.Organism;

namespace Recontext.Cli.Tests;

/// <summary>`recontext model inspect DIR` on a folder the test writes.</summary>
public sealed class ModelInspectTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-cli-inspect-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void InspectPrintsTheFamilyParametersAndTheMemoryOfAStep()
    {
        var folder = ToyBaseModel.TrainOrLoad(new BaseModelOptions { DModel = 32, Layers = 1, Steps = 1, BatchSize = 2 }, root);
        long parameters = Model.Checkpoints.ModelFolder.Read(folder).Parameters;
        var result = RecontextCli.Run("model", "inspect", folder, "--batch", "4", "--sequence", "64", "--lora-rank", "8");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("qwen3 (Qwen3ForCausalLM)", result.Out);
        Assert.Contains($"{parameters:N0} in", result.Out);
        Assert.Contains("LoRA rank 8", result.Out);
        Assert.Contains("batch 4 × 64 tokens", result.Out);

        var missing = RecontextCli.Run("model", "inspect", root);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no config.json in", missing.Error);
    }
}
