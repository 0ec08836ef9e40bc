using Recontext.Trainer.Algorithms;
using Recontext.Environments;
using Recontext.Environments.ToyCode;
using Recontext.Model.Lora;
using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Trainer.Losses;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Recontext.Runs.Config;

/// <summary>An experiment YAML file, validated and bound to <see cref="RunConfig"/> (see experiments/*.yaml).</summary>
public sealed record ExperimentFile(RunConfig Config, IReadOnlyList<long> Seeds, string? Output)
{
    static readonly string[] Algorithms = ["grpo", "expert-iteration", "sft", "distillation"];
    static readonly string[] Modes = ["standard", "all", "fraction", "selective"];
    static readonly string[] Placements = ["user-suffix", "system", "extra-system-turn"];
    static readonly string[] Variants = ["loophole", "no-loophole"];
    static readonly string[] Bases = ["default", "quick"];

    public static ExperimentFile Load(string path)
    {
        if (!File.Exists(path)) throw new ExperimentException($"experiment file '{path}' does not exist");
        return Parse(File.ReadAllText(path));
    }

    public static ExperimentFile Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            YamlDepth.Check(yaml);
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ExperimentException($"not valid YAML at line {e.Start.Line}: {e.Message}");
        }
        if (stream.Documents.Count == 0) throw new ExperimentException("the experiment file is empty");
        var root = new YamlFields(stream.Documents[0].RootNode, "");

        var config = new RunConfig
        {
            Name = root.String("name") ?? "run",
            Environment = root.RequiredString("environment", Environments.Settings.Names),
        };
        var seeds = root.List("seeds")?.Select((n, i) => ParseSeed(n, root.Path($"seeds[{i}]"))).ToList() ?? [];
        if (root.Int("seed") is int seed) seeds = [seed];
        if (seeds.Count == 0) seeds = [1];

        if (root.Mapping("toyCode") is { } toy)
        {
            config = config with
            {
                ToyCode = new ToyCodeOptions
                {
                    HackableFraction = toy.Double("hackableFraction") ?? 1.0,
                    WrongTestPosition = toy.Int("wrongTestPosition") ?? 0,
                },
            };
            toy.RejectUnknown();
        }
        if (root.Mapping("lying") is { } lying)
        {
            var defaults = new Environments.Lying.LyingOptions();
            config = config with
            {
                Lying = new Environments.Lying.LyingOptions
                {
                    UnwelcomeFraction = lying.Double("unwelcomeFraction") ?? defaults.UnwelcomeFraction,
                    TruthfulReward = lying.Double("truthfulReward") ?? defaults.TruthfulReward,
                    DetectedReward = lying.Double("detectedReward") ?? defaults.DetectedReward,
                },
            };
            lying.RejectUnknown();
        }
        if (root.Mapping("detector") is { } detector)
        {
            var probe = detector.String("probe") ?? throw new ExperimentException("detector.probe must name a probe file (`recontext probe train` writes one)");
            config = config with { Detector = new DetectorOptions { Probe = Path.GetFullPath(probe), TargetTpr = detector.Double("targetTpr") } };
            detector.RejectUnknown();
        }
        if (root.Mapping("mbpp") is { } mbpp)
        {
            config = config with { Mbpp = new MbppOptions { Rows = mbpp.String("rows") ?? config.Mbpp.Rows } };
            mbpp.RejectUnknown();
        }
        if (root.Mapping("model") is { } model)
        {
            var baseName = model.String("base", Bases) ?? "default";
            config = config with { Base = baseName == "quick" ? BaseModelOptions.Quick : new BaseModelOptions(), Checkpoint = model.String("checkpoint") };
            if (model.Mapping("lora") is { } lora)
            {
                var defaults = new LoraConfig();
                var targets = lora.List("targetModules")?.Select((node, i) => node is YamlScalarNode { Value: { } v } ? v
                    : throw new ExperimentException($"model.lora.targetModules[{i}] must be a module name")).ToList();
                var parsed = new LoraConfig
                {
                    Rank = lora.Int("rank", min: 1) ?? defaults.Rank,
                    Alpha = lora.Double("alpha") ?? defaults.Alpha,
                    Dropout = lora.Double("dropout") ?? defaults.Dropout,
                    TargetModules = targets ?? defaults.TargetModules,
                };
                lora.RejectUnknown();
                try
                {
                    config = config with { Lora = parsed.Validate() };
                }
                catch (ArgumentException e)
                {
                    throw new ExperimentException($"model.{e.Message}");
                }
            }
            model.RejectUnknown();
        }
        var algorithm = root.String("algorithm", Algorithms) ?? "grpo";
        config = config with
        {
            Algorithm = algorithm switch { "expert-iteration" => Algorithm.ExpertIteration, "sft" => Algorithm.Sft, "distillation" => Algorithm.Distillation, _ => Algorithm.Grpo },
        };
        if (root.Mapping("grpo") is { } grpo)
        {
            config = config with
            {
                Grpo = new GrpoOptions
                {
                    Epsilon = grpo.Double("epsilon") ?? 0.2,
                    EpsilonHigh = grpo.Double("epsilonHigh"),
                    Beta = grpo.Double("beta") ?? 0,
                    RatioLevel = grpo.String("ratioLevel", ["token", "sequence"]) == "sequence" ? RatioLevel.Sequence : RatioLevel.Token,
                    OldLogprobs = grpo.String("oldLogprobs", ["generation", "training"]) == "training" ? OldLogprobSource.Training : OldLogprobSource.Generation,
                    ScaleRewards = grpo.Bool("scaleRewards") ?? true,
                    UpdatesPerBatch = grpo.Int("updatesPerBatch", min: 1) ?? 1,
                },
            };
            grpo.RejectUnknown();
        }
        if (root.Mapping("optimizer") is { } optimizer)
        {
            config = config with
            {
                Optimizer = config.Optimizer with
                {
                    LearningRate = optimizer.Double("learningRate") ?? config.Optimizer.LearningRate,
                    WeightDecay = optimizer.Double("weightDecay") ?? config.Optimizer.WeightDecay,
                    MaxGradNorm = optimizer.Double("maxGradNorm") ?? config.Optimizer.MaxGradNorm,
                },
            };
            optimizer.RejectUnknown();
        }
        config = config with { DropHacks = root.Bool("dropHacks") ?? false };

        var policy = new RecontextPolicy();
        if (root.Mapping("contexts") is { } contexts)
        {
            var generation = contexts.List("generation") is { } g ? Context(One(g, contexts.Path("generation")), contexts.Path("generation")) : ContextSpec.Of("neutral");
            var training = contexts.List("training") is { } t ? Context(One(t, contexts.Path("training")), contexts.Path("training")) : generation;
            policy = policy with { Generation = generation, Training = training, Mode = generation == training ? RecontextMode.Standard : RecontextMode.All };
            if (contexts.List("eval") is { } evals)
                config = config with { EvalContexts = evals.Select((e, i) => Context(e, contexts.Path($"eval[{i}]"))).ToList() };
            contexts.RejectUnknown();
        }
        if (root.Mapping("recontextualization") is { } recontext)
        {
            var mode = recontext.String("mode", Modes);
            policy = policy with
            {
                Mode = mode switch { "standard" => RecontextMode.Standard, "fraction" => RecontextMode.Fraction, "selective" => RecontextMode.Selective, "all" => RecontextMode.All, _ => policy.Mode },
                Fraction = recontext.Double("fraction") ?? 1.0,
                Predicate = recontext.String("predicate"),
                AnswerOnly = recontext.Bool("answerOnly") ?? false,
            };
            recontext.RejectUnknown();
        }
        config = config with { Recontextualization = policy };

        config = config with
        {
            Steps = root.Int("steps", min: 0, max: RunLimits.MaxSteps) ?? config.Steps,
            PromptsPerStep = root.Int("promptsPerStep", min: 1) ?? config.PromptsPerStep,
            SamplesPerPrompt = root.Int("samplesPerPrompt", min: 1) ?? config.SamplesPerPrompt,
            MicroBatchSize = root.Int("microBatchSize", min: 1),
            GradientCheckpointing = root.Bool("gradientCheckpointing") ?? config.GradientCheckpointing,
        };
        if (root.Mapping("sampling") is { } sampling)
        {
            config = config with
            {
                Temperature = sampling.Double("temperature") ?? config.Temperature, MaxNewTokens = sampling.Int("maxNewTokens", min: 1) ?? config.MaxNewTokens,
                GroupsPerChunk = sampling.Int("groupsPerChunk", min: 1) ?? config.GroupsPerChunk,
            };
            sampling.RejectUnknown();
        }
        if (root.Mapping("eval") is { } eval)
        {
            config = config with { EvalEvery = eval.Int("every", min: 1) ?? config.EvalEvery, EvalTasks = eval.Int("tasks", min: 1) ?? config.EvalTasks };
            eval.RejectUnknown();
        }
        if (root.String("device") is { } device)
        {
            try
            {
                config = config with { Device = Model.DeviceSelection.Validate(device) };
            }
            catch (ArgumentException e)
            {
                throw new ExperimentException(e.Message);
            }
        }
        if (root.String("computeDtype") is { } computeDtype)
        {
            try
            {
                config = config with { ComputeDtype = Model.ComputeDtype.Validate(computeDtype) };
            }
            catch (ArgumentException e)
            {
                throw new ExperimentException(e.Message);
            }
        }
        var output = root.String("output");
        root.RejectUnknown();

        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ExperimentException(e.Message);
        }
        return new ExperimentFile(config, seeds, output);
    }

    /// <summary>A field that takes one context (a run samples under one and trains under one).</summary>
    static YamlNode One(IReadOnlyList<YamlNode> nodes, string path) => nodes.Count == 1 ? nodes[0]
        : throw new ExperimentException($"{path} takes one context, got {nodes.Count} (a list is for contexts.eval)");

    static long ParseSeed(YamlNode node, string path) =>
        node is YamlScalarNode { Value: { } v } && long.TryParse(v, out var seed) ? seed : throw new ExperimentException($"{path} must be an integer");

    /// <summary>A context: a preset name, or a mapping {preset | text, placement, variant, name}.</summary>
    static ContextSpec Context(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } preset })
            return ContextSpec.Presets.Contains(preset) ? ContextSpec.Of(preset)
                : throw new ExperimentException($"{path} is '{preset}'; allowed presets: {string.Join(", ", ContextSpec.Presets)} (or a mapping with text)");
        var fields = new YamlFields(node, path);
        var spec = new ContextSpec
        {
            Name = fields.String("name"),
            Preset = fields.String("preset", ContextSpec.Presets),
            Text = fields.String("text"),
            Placement = fields.String("placement", Placements) switch
            {
                "system" => InstructionPlacement.System,
                "extra-system-turn" => InstructionPlacement.ExtraSystemTurn,
                _ => InstructionPlacement.UserSuffix,
            },
            Variant = fields.String("variant", Variants) == "no-loophole" ? EnvironmentVariant.NoLoophole : EnvironmentVariant.Loophole,
        };
        fields.RejectUnknown();
        if (spec.Preset is null && spec.Text is null) throw new ExperimentException($"{path} needs 'preset' or 'text'");
        return spec;
    }
}
