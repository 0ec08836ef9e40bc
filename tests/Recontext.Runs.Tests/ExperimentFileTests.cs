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
        // levers/ too; plans/ holds analysis plans, not experiments (PlanAnalysisTests loads them)
        var files = Directory.GetFiles(Path.Combine(Repo(), "experiments"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}plans{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToArray();
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
        Assert.Equal(Environments.InstructionPlacement.ExtraSystemTurn, c.Recontextualization.Training.Placement);
        Assert.Equal(Environments.EnvironmentVariant.NoLoophole, c.Recontextualization.Training.Variant);
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

    /// <summary>The file binds onto the options records themselves: a section starts from the run's own defaults (the
    /// run's learning rate, not the optimizer record's), every field of a record is a field of the file, and an
    /// unknown one lists the fields the record has.</summary>
    [Fact]
    public void SectionsBindOntoTheRunsOwnOptionRecords()
    {
        var defaults = new RunConfig();
        var c = ExperimentFile.Parse("environment: toy-code\noptimizer: { beta2: 0.99 }\ntoyCode: { maxInput: 9 }\ngrpo: { ratioLevel: sequence, updatesPerBatch: 2 }").Config;
        Assert.Equal(defaults.Optimizer with { Beta2 = 0.99 }, c.Optimizer);
        Assert.Equal(new Environments.ToyCode.ToyCodeOptions { MaxInput = 9 }, c.ToyCode);
        Assert.Equal((Trainer.Losses.RatioLevel.Sequence, 2, defaults.Grpo.Epsilon), (c.Grpo.RatioLevel, c.Grpo.UpdatesPerBatch, c.Grpo.Epsilon));
        Assert.Equal(defaults.Optimizer, ExperimentFile.Parse("environment: toy-code").Config.Optimizer);   // binding never changed the shared default
        var unknown = Assert.Throws<ExperimentException>(() => ExperimentFile.Parse("environment: toy-code\noptimizer: { momentum: 0.9 }")).Message;
        Assert.Equal("unknown field 'optimizer.momentum'; allowed here: beta1, beta2, learningRate, maxGradNorm, weightDecay", unknown);
        var paper = ExperimentFile.Parse("environment: toy-code\ngrpo: { ratioLevel: sequence-sum, klReference: generation, klIn: reward, entropyCoefficient: 0.01, " +
                                         "oldLogprobs: training, importanceCorrection: sequence-mask, importanceLow: 0.8, importanceHigh: 1.25 }").Config.Grpo;
        Assert.Equal((RatioLevel.SequenceSum, KlReference.Generation, KlPlacement.Reward, 0.01, ImportanceCorrection.SequenceMask, 0.8, 1.25),
            (paper.RatioLevel, paper.KlReference, paper.KlIn, paper.EntropyCoefficient, paper.ImportanceCorrection, paper.ImportanceLow, paper.ImportanceHigh));
        Assert.Contains("grpo.importanceCorrection needs oldLogprobs: training", Assert.Throws<ExperimentException>(() => ExperimentFile.Parse("environment: toy-code\ngrpo: { importanceCorrection: token-truncate }")).Message);
        Assert.Contains("grpo.klIn is 'advantage'; allowed: loss, reward", Assert.Throws<ExperimentException>(() => ExperimentFile.Parse("environment: toy-code\ngrpo: { klIn: advantage }")).Message);
        Assert.Contains("grpo.updatesPerBatch must be >= 1, got 0", Assert.Throws<ExperimentException>(() => ExperimentFile.Parse("environment: toy-code\ngrpo: { updatesPerBatch: 0 }")).Message);
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

    /// <summary>32,700 nested brackets overflowed the stack of YAML's document model and killed the process; now it is a
    /// named error before the document is built.</summary>
    [Fact]
    public void DeeplyNestedYamlIsRefusedNotACrash() =>
        Assert.Contains("nested deeper than 64 levels", Assert.Throws<ExperimentException>(() => ExperimentFile.Parse("environment: toy-code\nsteps: " + new string('[', 32_700))).Message);

    /// <summary>The lying setting's labeller and a detector bind to the run; the probe file is checked against the base's shape.</summary>
    [Fact]
    public void TheLabellerAndTheDetectorAreRead()
    {
        var dir = Directory.CreateTempSubdirectory("recontext-detector-yaml-").FullName;
        try
        {
            var shape = new Organism.BaseModelOptions().ModelConfig;
            var probe = new Model.Probing.LinearProbe
            {
                Label = "deception", HiddenSize = shape.HiddenSize, LayerCount = shape.NumHiddenLayers, Layer = 1, Pooling = Model.Probing.ActivationPooling.Last,
                Lambda = 0.1, Weights = new double[shape.HiddenSize], Bias = 0, Threshold = 0.5,
                ValidationScores = new([0.1, 0.4, 0.6, 0.9], [false, true, false, true]), HeldOutScores = new([0.2, 0.8], [false, true]),
                Validation = new(1, 1, 0, 2, 2), HeldOut = new(1, 1, 0, 1, 1),
            };
            var path = Path.Combine(dir, "probe.json");
            probe.Save(path);
            var config = ExperimentFile.Parse($"environment: lying\nlying: {{ truthfulReward: 0.3, detectedReward: 0.1 }}\ndetector: {{ probe: {path}, targetTpr: 0.5 }}").Config;
            Assert.Equal((0.3, 0.1, 0.6), (config.Lying.TruthfulReward, config.Lying.DetectedReward, config.Lying.UnwelcomeFraction));
            Assert.Equal((path, 0.5), (config.Detector!.Probe, config.Detector.TargetTpr!.Value));
            Assert.Equal(0.9, config.Detector.Load().Threshold);   // half of the validation positives (0.4, 0.9) flag at 0.9
            var small = Assert.Throws<ExperimentException>(() => ExperimentFile.Parse($"environment: lying\nmodel: {{ base: quick }}\ndetector: {{ probe: {path} }}"));
            Assert.Contains("detector.probe: the probe reads layer 1 of a model with hidden size 128; the organism's base has hidden size 96", small.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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
    [InlineData("environment: toy-code\ncontexts: { generation: [good, bad] }", "contexts.generation takes one context, got 2")]
    [InlineData("environment: toy-code\nsteps: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "nested deeper than 64 levels (line 2)")]
    [InlineData("environment: lying\nlying: { truthfulReward: 1.5 }", "lying.truthfulReward must be in [0, 1], got 1.5")]
    [InlineData("environment: toy-code\nmonitorPenalty: 11", "monitorPenalty must be in [0, 10], got 11")]
    [InlineData("environment: toy-code\nmonitorPenalty: NaN", "monitorPenalty must be a finite number >= 0, got NaN")]
    [InlineData("environment: lying\nlying: { truthReward: 0.5 }", "unknown field 'lying.truthReward'")]
    [InlineData("environment: lying\ndetector: { targetTpr: 0.3 }", "detector.probe must name a probe file")]
    [InlineData("environment: lying\ndetector: { probe: no-such-probe.json }", "detector.probe: probe file")]
    public void BadFilesGiveNamedErrors(string yaml, string message) =>
        Assert.Contains(message, Assert.Throws<ExperimentException>(() => ExperimentFile.Parse(yaml)).Message);
}
