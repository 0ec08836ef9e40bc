using Recontext.Organism;
using Recontext.Recontextualizer;
using YamlDotNet.RepresentationModel;

namespace Recontext.Runs.Config;

/// <summary>An experiment YAML file, validated and bound to <see cref="RunConfig"/> (see experiments/*.yaml). The
/// schema is <see cref="ExperimentDocument"/>; this composes the run from it.</summary>
public sealed record ExperimentFile(RunConfig Config, IReadOnlyList<long> Seeds, string? Output)
{
    /// <summary>Contexts read as a preset name or a mapping; f_gen and f_train take one each.</summary>
    static readonly IReadOnlyDictionary<Type, YamlBinder.Converter> Converters = new Dictionary<Type, YamlBinder.Converter> { [typeof(ContextSpec)] = Context };

    public static ExperimentFile Load(string path)
    {
        if (!File.Exists(path)) throw new ExperimentException($"experiment file '{path}' does not exist");
        return Parse(File.ReadAllText(path));
    }

    public static ExperimentFile Parse(string yaml)
    {
        var root = YamlDepth.Root(yaml) ?? throw new ExperimentException("the experiment file is empty");
        var file = YamlBinder.Bind<ExperimentDocument>(root, "", converters: Converters);
        try
        {
            return new ExperimentFile(Compose(file).Validate(), file.Seed is long seed ? [seed] : file.Seeds is { Count: > 0 } seeds ? seeds : [1], file.Output);
        }
        catch (ArgumentException e)
        {
            throw new ExperimentException(e.Message);
        }
    }

    /// <exception cref="ArgumentException">a field whose check needs more than its own value (the message names it)</exception>
    static RunConfig Compose(ExperimentDocument file)
    {
        var environment = file.Environment is { } name
            ? Environments.Settings.Names.Contains(name) ? name : throw new ExperimentException($"environment is '{name}'; allowed: {string.Join(", ", Environments.Settings.Names)}")
            : throw new ExperimentException($"missing environment; allowed: {string.Join(", ", Environments.Settings.Names)}");
        var generation = file.Contexts.Generation ?? ContextSpec.Of("neutral");
        var training = file.Contexts.Training ?? generation;
        var recontext = file.Recontextualization;
        return new RunConfig
        {
            Name = file.Name, Environment = environment,
            ToyCode = file.ToyCode, Lying = file.Lying, Mbpp = file.Mbpp,
            Detector = file.Detector is null ? null
                : file.Detector with { Probe = Path.GetFullPath(file.Detector.Probe ?? throw new ExperimentException("detector.probe must name a probe file (`recontext probe train` writes one)")) },
            Base = file.Model.Base == ExperimentDocument.BaseChoice.Quick ? BaseModelOptions.Quick : new BaseModelOptions(),
            Checkpoint = file.Model.Checkpoint,
            Lora = file.Model.Lora is null ? null : Prefixed("model.", () => file.Model.Lora.Validate()),
            Algorithm = file.Algorithm, Grpo = file.Grpo, Optimizer = file.Optimizer, DropHacks = file.DropHacks, MonitorPenalty = file.MonitorPenalty,
            Recontextualization = new RecontextPolicy
            {
                Generation = generation, Training = training,
                Mode = recontext.Mode ?? (generation == training ? RecontextMode.Standard : RecontextMode.All),
                Fraction = recontext.Fraction, Predicate = recontext.Predicate, AnswerOnly = recontext.AnswerOnly,
            },
            EvalContexts = file.Contexts.Eval ?? new RunConfig().EvalContexts,
            Steps = file.Steps, PromptsPerStep = file.PromptsPerStep, SamplesPerPrompt = file.SamplesPerPrompt,
            MicroBatchSize = file.MicroBatchSize, GradientCheckpointing = file.GradientCheckpointing,
            Temperature = file.Sampling.Temperature, MaxNewTokens = file.Sampling.MaxNewTokens, GroupsPerChunk = file.Sampling.GroupsPerChunk,
            EvalEvery = file.Eval.Every, EvalTasks = file.Eval.Tasks,
            Device = Model.DeviceSelection.Validate(file.Device),
            ComputeDtype = Model.ComputeDtype.Validate(file.ComputeDtype),
        };
    }

    static T Prefixed<T>(string prefix, Func<T> check)
    {
        try { return check(); }
        catch (ArgumentException e) { throw new ExperimentException(prefix + e.Message); }
    }

    /// <summary>A context: a preset name, or a mapping {preset | text, placement, variant, name}. Where one context is
    /// expected a one-element list is one too; <c>contexts.eval</c> takes a list (a single context reads as one).</summary>
    static object Context(YamlNode node, string path)
    {
        if (node is YamlSequenceNode list)
            return list.Children.Count == 1 ? Context(list.Children[0], path)
                : throw new ExperimentException($"{path} takes one context, got {list.Children.Count} (a list is for contexts.eval)");
        if (node is YamlScalarNode { Value: { } preset })
            return ContextSpec.Presets.Contains(preset) ? ContextSpec.Of(preset)
                : throw new ExperimentException($"{path} is '{preset}'; allowed presets: {string.Join(", ", ContextSpec.Presets)} (or a mapping with text)");
        var spec = YamlBinder.Bind<ContextSpec>(node, path);
        if (spec.Preset is not null && !ContextSpec.Presets.Contains(spec.Preset))
            throw new ExperimentException($"{path}.preset is '{spec.Preset}'; allowed: {string.Join(", ", ContextSpec.Presets)}");
        if (spec.Preset is null && spec.Text is null) throw new ExperimentException($"{path} needs 'preset' or 'text'");
        return spec;
    }
}
