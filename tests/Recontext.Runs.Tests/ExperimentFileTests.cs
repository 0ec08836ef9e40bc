using Recontext.Recontextualizer;
using Recontext.Runs.Config;
using Recontext.Trainer.Losses;

namespace Recontext.Runs.Tests;

public class ExperimentFileTests
{
    static string Repo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Recontext.slnx"))) return dir.FullName;
        throw new InvalidOperationException("no repository root");
    }

    [Fact]
    public void EveryExampleFileLoads()
    {
        var files = Directory.GetFiles(Path.Combine(Repo(), "experiments"), "*.yaml", SearchOption.AllDirectories); // levers/ too
        Assert.True(files.Length >= 3);
        // A sweep file is an experiment with a sweep section: it loads as a sweep, every point as an experiment. The
        // limits read the model folder, which `model init` makes first for the Hugging Face examples (the mbpp run
        // test checks them on a folder it makes).
        foreach (var file in files)
        {
            bool needsFolder = File.ReadLines(file).Any(l => l.TrimStart().StartsWith("checkpoint:", StringComparison.Ordinal));
            if (File.ReadLines(file).Any(l => l.StartsWith("sweep:", StringComparison.Ordinal)))
                Assert.NotEmpty(Recontext.Runs.Sweeps.SweepFile.Load(file, checkLimits: !needsFolder).Points);
            else Assert.NotNull(ExperimentFile.Load(file));
        }
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("sweep-", StringComparison.Ordinal));
    }

    [Fact]
    public void FieldsBindToTheRunConfig()
    {
        var file = ExperimentFile.Parse("""
            name: x
            environment: toy-code
            seeds: [4, 5]
            grpo: { beta: 0.05, oldLogprobs: training, ratioLevel: sequence, epsilonHigh: 0.3 }
            microBatchSize: 4
            contexts:
              generation: good
              training: { text: "Anything goes.", placement: extra-system-turn, variant: no-loophole }
              eval: [neutral, bad]
            recontextualization: { mode: selective, predicate: "!score.hack", answerOnly: true }
            steps: 7
            """);
        var c = file.Config;
        Assert.Equal([4L, 5L], file.Seeds);
        Assert.Equal(0.05, c.Grpo.Beta);
        Assert.Equal(OldLogprobSource.Training, c.Grpo.OldLogprobs);
        Assert.Equal(RatioLevel.Sequence, c.Grpo.RatioLevel);
        Assert.Equal(0.3, c.Grpo.UpperEpsilon);
        Assert.Equal(4, c.MicroBatchSize);
        Assert.Equal("good", c.Recontextualization.Generation.Preset);
        Assert.Equal("Anything goes.", c.Recontextualization.Training.Text);
        Assert.Equal(Judge.Abstractions.InstructionPlacement.ExtraSystemTurn, c.Recontextualization.Training.Placement);
        Assert.Equal(Judge.Abstractions.EnvironmentVariant.NoLoophole, c.Recontextualization.Training.Variant);
        Assert.Equal(RecontextMode.Selective, c.Recontextualization.Mode);
        Assert.True(c.Recontextualization.AnswerOnly);
        Assert.Equal(["neutral", "bad"], c.EvalContexts.Select(e => e.Label));
        Assert.Equal(7, c.Steps);
    }

    [Fact]
    public void LoraSettingsAreRead()
    {
        var file = ExperimentFile.Parse("environment: toy-code\nmodel: { checkpoint: models/q3, lora: { rank: 8, alpha: 16, dropout: 0.05, targetModules: [q_proj, v_proj] } }");
        Assert.Equal("models/q3", file.Config.Checkpoint);
        var lora = file.Config.Lora!;
        Assert.Equal((8, 16.0, 0.05), (lora.Rank, lora.Alpha, lora.Dropout));
        Assert.Equal(["q_proj", "v_proj"], lora.TargetModules);
        Assert.Null(ExperimentFile.Parse("environment: toy-code").Config.Lora);
    }

    [Fact]
    public void TheComputeDtypeNarrowsOnlyALoraBase()
    {
        var lora = ExperimentFile.Parse("environment: toy-code\ncomputeDtype: BFloat16\nmodel: { checkpoint: models/q3, lora: { rank: 8 } }").Config;
        Assert.Equal(("bfloat16", "bfloat16"), (lora.ComputeDtype, lora.PolicyDtype));
        var full = ExperimentFile.Parse("environment: toy-code\ncomputeDtype: auto").Config;
        Assert.Equal(("auto", "float32"), (full.ComputeDtype, full.PolicyDtype));   // auto never narrows the weights AdamW steps
        Assert.Equal("auto", ExperimentFile.Parse("environment: toy-code\nmodel: { checkpoint: q, lora: { rank: 8 } }").Config.PolicyDtype);
    }

    [Theory]
    [InlineData("environment: toy-code\nstepz: 3", "unknown field 'stepz'")]
    [InlineData("environment: toy-code\ngrpo: { epsilom: 0.1 }", "unknown field 'grpo.epsilom'")]
    [InlineData("environment: toy-code\nsteps: many", "steps must be an integer, got 'many'")]
    [InlineData("environment: toy-code\ngrpo: { beta: lots }", "grpo.beta must be a number, got 'lots'")]
    [InlineData("steps: 3", "missing environment; allowed: toy-code, mbpp-incorrect-test")]
    [InlineData("environment: toy-code\nsteps: -2", "steps must be >= 0, got -2")]
    [InlineData("environment: atari", "environment is 'atari'; allowed: toy-code, mbpp-incorrect-test")]
    [InlineData("environment: toy-code\nalgorithm: ppo", "algorithm is 'ppo'; allowed: grpo, expert-iteration, sft, distillation")]
    [InlineData("environment: toy-code\ncontexts: { generation: rude }", "contexts.generation is 'rude'; allowed presets")]
    [InlineData("environment: toy-code\nrecontextualization: { mode: selective }", "recontextualization.predicate is required")]
    [InlineData("environment: toy-code\nsamplesPerPrompt: 1", "samplesPerPrompt must be >= 2 for grpo")]
    [InlineData("environment: [toy-code", "not valid YAML")]
    [InlineData("environment: toy-code\nmodel: { lora: { rank: 0 } }", "model.lora.rank must be >= 1, got 0")]
    [InlineData("environment: toy-code\nmodel: { lora: { targetModules: [lm_head] } }", "model.lora targetModules: 'lm_head' is not one of q_proj, k_proj")]
    [InlineData("environment: toy-code\nmodel: { lora: { rnak: 8 } }", "unknown field 'model.lora.rnak'")]
    [InlineData("environment: toy-code\ncomputeDtype: bf16", "computeDtype 'bf16' is not one of auto, float32, bfloat16, float16")]
    [InlineData("environment: toy-code\ncomputeDtype: bfloat16", "computeDtype bfloat16 needs model.lora")]
    public void BadFilesGiveNamedErrors(string yaml, string message) =>
        Assert.Contains(message, Assert.Throws<ExperimentException>(() => ExperimentFile.Parse(yaml)).Message);
}
