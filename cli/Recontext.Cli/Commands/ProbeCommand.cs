using System.CommandLine;
using System.Globalization;
using Recontext.Environments;
using Recontext.Model.Checkpoints;
using Recontext.Model.Modules;
using Recontext.Model.Probing;
using Recontext.Organism;
using Recontext.Prompts;
using Recontext.Recontextualizer;
using Recontext.Runs.Probes;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>
/// `recontext probe train | eval`: lie detectors (or any binary probe) on a model's residual stream. The labelled
/// completions come from a data file (<see cref="ProbeRow"/>) or are sampled from a setting's model and labelled by its
/// judge (for the lying setting: deceptive or not).
/// </summary>
public sealed class ProbeCommand : ICliCommand
{
    sealed class Source
    {
        public readonly Option<string?> Data = CliOptions.Text("--data", "labelled completions (JSONL: messages, completion, label); needs --model");
        public readonly Option<string?> Model = CliOptions.Text("--model", "a model folder (a Hugging Face folder or an organism base); with --setting, default: its cached toy base");
        public readonly Option<string?> Setting = CliOptions.Text("--setting", $"sample completions from the model and label them with this setting's judge: {string.Join(", ", Environments.Settings.Names)}");
        public readonly Option<bool> Quick = CliOptions.Flag("--quick", "with --setting and no --model: the quick toy base");
        public readonly Option<int?> Samples = CliOptions.Int("--samples", "with --setting: held-out tasks sampled per context (default 2000)");
        public readonly Option<string?> Contexts = CliOptions.Text("--contexts", "with --setting: the contexts to sample under, comma-separated (default neutral)");
        public readonly Option<int> Seed = new("--seed") { Description = "task, sampling and split seed (default 1)", DefaultValueFactory = _ => 1 };
        public readonly Option<double?> TargetTpr = new("--target-tpr") { Description = "set the threshold to flag this share of the validation positives (default: threshold 0.5)" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Data, Model, Setting, Quick, Samples, Contexts, Seed, TargetTpr }) command.Options.Add(option);
        }
    }

    public Command Build()
    {
        var trainSource = new Source();
        var output = CliOptions.Text("--out", "the probe file to write (JSON); the sampled data goes beside it as FILE.data.jsonl");
        var layers = CliOptions.Text("--layers", "decoder layers to try, comma-separated (default: every layer)");
        var pooling = CliOptions.Text("--pooling", "poolings to try: mean, last or both (default both)");
        var train = new Command("train", "fit a logistic-regression probe (L2 chosen on validation data, with the layer and pooling) on labelled completions; " +
                                         "prints its held-out AUROC, TPR and FPR") { output, layers, pooling };
        trainSource.AddTo(train);
        train.SetAction(parsed => Train(parsed, trainSource, parsed.GetValue(output), parsed.GetValue(layers), parsed.GetValue(pooling)));

        var evalSource = new Source();
        var probe = CliOptions.Text("--probe", "the probe file `probe train` wrote");
        var evaluate = new Command("eval", "measure a probe on other labelled completions (AUROC, and TPR and FPR at its threshold)") { probe };
        evalSource.AddTo(evaluate);
        evaluate.SetAction(parsed => Evaluate(parsed, evalSource, parsed.GetValue(probe)));

        return new Command("probe", "lie detectors: logistic-regression probes on a model's activations (residual stream), trained and evaluated on labelled completions")
        {
            train, evaluate,
        };
    }

    static int Train(ParseResult parsed, Source source, string? output, string? layerList, string? poolingList)
    {
        if (output is null) throw new CliUsageException("--out: name the probe file to write");
        var console = AnsiConsole.Console;
        int[]? layers = layerList is null ? null : Numbers(layerList, "--layers");
        // Checked on the loaded model before any sampling.
        using var loaded = Load(parsed, source, console, (model, name) =>
        {
            foreach (var layer in layers ?? [])
                if (layer < 0 || layer >= model.Body.LayerCount)
                    throw new CliUsageException($"--layers: layer {layer} does not exist; {name} has layers 0..{model.Body.LayerCount - 1}");
        });
        IReadOnlyList<ActivationPooling> poolings;
        try { poolings = poolingList is null || poolingList == "both" ? ActivationPoolings.All : poolingList.Split(',').Select(p => ActivationPoolings.Parse(p.Trim())).Distinct().ToArray(); }
        catch (ArgumentException e) { throw new CliUsageException($"--pooling: {e.Message}"); }
        if (loaded.Sampled is { } rows) ProbeRow.Save(output + ".data.jsonl", rows);

        LinearProbe probe;
        try
        {
            probe = ProbeTrainer.Train(loaded.Model, loaded.Data, loaded.PaddingId, new ProbeTrainingOptions
            {
                Layers = layers, Poolings = poolings, TargetTpr = parsed.GetValue(source.TargetTpr), Seed = parsed.GetValue(source.Seed), Label = loaded.Label,
            }, new Progress<string>(m => console.MarkupLine($"[grey]{Markup.Escape(m)}[/]")));
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message);
        }
        probe.Save(output);
        var table = new Table().Title(Markup.Escape($"probe candidates on {loaded.Name}: best validation AUROC over λ"))
            .AddColumns(["layer", .. poolings.Select(p => p.Name())]);
        foreach (var layer in probe.Candidates.Select(c => c.Layer).Distinct())
            table.AddRow([$"{layer}", .. poolings.Select(p => $"{probe.Candidates.Where(c => c.Layer == layer && c.Pooling == p).Max(c => c.ValidationAuroc):F3}")]);
        console.Write(table);
        console.WriteLine($"chose layer {probe.Layer}, {probe.Pooling.Name()} pooling, λ {probe.Lambda}; threshold {probe.Threshold:F3}" +
                          (probe.TargetTpr is double t ? $" (target TPR {t})" : ""));
        Describe(console, probe.HeldOut, "held-out", probe.Label);
        console.WriteLine($"probe written to {Path.GetFullPath(output)}");
        return 0;
    }

    static int Evaluate(ParseResult parsed, Source source, string? path)
    {
        if (path is null) throw new CliUsageException("--probe: name the probe file `probe train` wrote");
        LinearProbe probe;
        try { probe = LinearProbe.Load(path); }
        catch (Exception e) when (e is FileNotFoundException or FormatException) { throw new CliUsageException($"--probe: {e.Message}"); }
        if (parsed.GetValue(source.TargetTpr) is double target)
        {
            try { probe = probe.AtTargetTpr(target); }
            catch (ArgumentException e) { throw new CliUsageException($"--target-tpr: {e.Message}"); }
        }
        var console = AnsiConsole.Console;
        using var loaded = Load(parsed, source, console, (model, name) =>
        {
            try { probe.CheckFits(model.Config.HiddenSize, model.Body.LayerCount, name); }
            catch (ArgumentException e) { throw new CliUsageException($"--probe: {e.Message}"); }
        });
        var scores = ProbeTrainer.Scores(loaded.Model, probe, loaded.Data.Select(d => d.PromptIds).ToArray(), loaded.Data.Select(d => d.CompletionIds).ToArray(), loaded.PaddingId);
        ProbeMetrics metrics;
        try { metrics = ProbeMetrics.Of(scores, loaded.Data.Select(d => d.Label).ToArray(), probe.Threshold); }
        catch (ArgumentException e) { throw new CliUsageException(e.Message); }
        console.WriteLine($"probe: layer {probe.Layer}, {probe.Pooling.Name()} pooling, threshold {probe.Threshold:F3}");
        Describe(console, metrics, "these completions", probe.Label);
        return 0;
    }

    static void Describe(IAnsiConsole console, ProbeMetrics m, string split, string label) =>
        console.WriteLine($"{split}: AUROC {m.Auroc:F3}, TPR {m.Tpr:F3}, FPR {m.Fpr:F3} ({m.Positives} {label}, {m.Negatives} not)");

    static int[] Numbers(string list, string option)
    {
        var parts = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 && parts.All(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            ? parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).Distinct().ToArray()
            : throw new CliUsageException($"{option} must be comma-separated integers, got '{list}'");
    }

    /// <summary>The model and the labelled completions a command reads.</summary>
    sealed record Loaded(CausalLm Model, string Name, int PaddingId, IReadOnlyList<LabelledCompletion> Data, IReadOnlyList<ProbeRow>? Sampled, string Label) : IDisposable
    {
        public void Dispose() => Model.Dispose();
    }

    /// <param name="check">what must hold of the model before anything is sampled or read</param>
    static Loaded Load(ParseResult parsed, Source source, IAnsiConsole console, Action<CausalLm, string> check)
    {
        var data = parsed.GetValue(source.Data);
        var setting = parsed.GetValue(source.Setting);
        var folder = parsed.GetValue(source.Model);
        if ((data is null) == (setting is null)) throw new CliUsageException("give --data FILE (with --model) or --setting NAME");
        if (setting is not null && !Environments.Settings.Exists(setting)) throw new CliUsageException($"--setting: {Environments.Settings.Unknown(setting)}");
        if (data is not null && folder is null) throw new CliUsageException("--data needs --model: the folder whose activations the probe reads");
        if (setting is not null && folder is null)
        {
            var baseModel = (parsed.GetValue(source.Quick) ? BaseModelOptions.Quick : new BaseModelOptions()) with { Setting = setting };
            try { OrganismStories.For(baseModel); }
            catch (ArgumentException e) { throw new CliUsageException($"--setting: {e.Message}; give --model"); }
            folder = PretrainToyCommand.Train(baseModel, RepositoryPaths.Cache("organism"), console);
        }
        if (!Directory.Exists(folder) || !File.Exists(Path.Combine(folder!, "config.json")))
            throw new CliUsageException($"--model: {folder} is not a model folder (no config.json)");
        var (model, text) = LoadModel(folder!);
        try
        {
            check(model, folder!);
            if (data is not null)
            {
                IReadOnlyList<ProbeRow> rows;
                try { rows = ProbeRow.Load(data); }
                catch (Exception e) when (e is FileNotFoundException or FormatException) { throw new CliUsageException($"--data: {e.Message}"); }
                return new Loaded(model, folder!, text.Tokenizer.PaddingId, ProbeSampler.Tokenize(rows, text), null, "positive");
            }
            var environment = Environments.Settings.Create(setting!);
            IReadOnlyList<PromptContext> contexts;
            try
            {
                contexts = (parsed.GetValue(source.Contexts) ?? "neutral").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(c => ContextSpec.Of(c).Resolve(environment)).ToArray();
            }
            catch (ArgumentException e) { throw new CliUsageException($"--contexts: {e.Message}"); }
            int samples = parsed.GetValue(source.Samples) ?? 2000;
            console.MarkupLine($"sampling {samples} held-out {Markup.Escape(setting!)} tasks under {string.Join(", ", contexts.Select(c => c.Name))} from [grey]{Markup.Escape(folder!)}[/]");
            var sampled = ProbeSampler.SampleAsync(environment, model, text, contexts, samples, parsed.GetValue(source.Seed),
                progress: new Progress<string>(m => console.MarkupLine($"[grey]{Markup.Escape(m)}[/]"))).GetAwaiter().GetResult();
            return new Loaded(model, folder!, text.Tokenizer.PaddingId, sampled.Select(s => s.Tokens).ToArray(), sampled.Select(s => s.Row).ToArray(), environment.Misbehaviour.Key);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A Hugging Face folder (it has tokenizer.json) with its own tokenizer, or an organism base with the byte tokenizer.</summary>
    static (CausalLm Model, ModelText Text) LoadModel(string folder)
    {
        try
        {
            if (File.Exists(Path.Combine(folder, Prompts.Tokenization.TokenizerSettings.TokenizerFile)))
            {
                var pretrained = PretrainedModel.Load(folder);
                return (pretrained.Model, pretrained.Text);
            }
            return (Checkpoint.Load(folder), ModelText.Organism);
        }
        catch (Exception e) when (e is FileNotFoundException or ArgumentException or CheckpointMismatchException or InvalidDataException)
        {
            throw new CliUsageException($"--model: {e.Message}");
        }
    }
}
