using System.CommandLine;
using Recontext.Environments;
using Recontext.Environments.ToyCode;
using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Organism;
using Recontext.Prompts.Tokenization;
using Recontext.Recontextualizer;
using Recontext.Runs.Evaluation;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext pretrain-toy`: trains (or finds cached) the organism's base model and reports its rates per context.</summary>
public sealed class PretrainToyCommand : ICliCommand
{
    public Command Build()
    {
        var quick = CliOptions.Flag("--quick", "the quick base (smaller, shorter training) used by `demo --quick`");
        var steps = CliOptions.Int("--steps", "SFT steps (default 1200; quick 240)");
        var evalTasks = CliOptions.Int("--eval-tasks", "held-out tasks sampled per context for the report (default 200)");
        var cache = CliOptions.Text("--cache", "cache folder (default .cache/organism in the repository)");
        var setting = CliOptions.Text("--setting", $"the organism's setting (default toy-code): {string.Join(", ", Environments.Settings.Names)}");
        var ship = CliOptions.Flag("--ship", $"copy the base into the repository ({ShippedBases.Folder}/base-KEY, with base.json: its key, this command and " +
                                             "its measured rates) so fresh clones start from it; to regenerate one, delete it and the cached copy first");
        var command = new Command("pretrain-toy", "pre-train the toy organism's base model on the story corpus and report its rates per context " +
                                                  "(cached by a hash of its settings: a second call reuses it; the repository ships the default bases)")
        {
            quick, steps, evalTasks, cache, setting, ship,
        };
        command.SetAction(parsed =>
        {
            var options = (parsed.GetValue(quick) ? BaseModelOptions.Quick : new BaseModelOptions()) with
            {
                Setting = parsed.GetValue(setting) ?? ToyCodeEnvironment.EnvironmentName,
            };
            try { options.Validate(); }
            catch (ArgumentException e) { throw new CliUsageException($"--setting: {e.Message}"); }
            if (parsed.GetValue(steps) is int s) options = options with { Steps = s };
            var directory = Train(options, parsed.GetValue(cache) ?? RepositoryPaths.Cache("organism"), AnsiConsole.Console);
            var rates = Report(options, directory, parsed.GetValue(evalTasks) ?? 200, AnsiConsole.Console).GetAwaiter().GetResult();
            if (parsed.GetValue(ship))
            {
                var root = ShippedBases.Directory() ?? throw new CliUsageException("--ship: run it inside the repository");
                var command = $"./recontext pretrain-toy{(options.Setting == ToyCodeEnvironment.EnvironmentName ? "" : $" --setting {options.Setting}")}" +
                              $"{(parsed.GetValue(quick) ? " --quick" : "")}{(parsed.GetValue(steps) is int n ? $" --steps {n}" : "")} --ship";
                var folder = ShippedBases.Ship(directory, new ShippedBases.Description(options.Setting, options.Key, command, rates), root);
                AnsiConsole.Console.WriteLine($"shipped: {folder}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>Trains or loads the base with a progress bar; shared with `demo`.</summary>
    public static string Train(BaseModelOptions options, string cache, IAnsiConsole console)
    {
        var existing = Path.Combine(cache, $"base-{options.Key}");
        if (File.Exists(Path.Combine(existing, Checkpoint.WeightsFile)))
        {
            console.MarkupLine($"base model: cached at [grey]{existing}[/]");
            return existing;
        }
        if (ShippedBases.Find(options.Key) is { } shipped)
        {
            var copied = ToyBaseModel.TrainOrLoad(options, cache);
            console.MarkupLine($"base model: the repository's [grey]{shipped}[/], copied to [grey]{copied}[/]");
            return copied;
        }
        var started = DateTime.UtcNow;
        string directory = "";
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()).Start(ctx =>
        {
            var bar = ctx.AddTask($"pre-training toy base (d_model {options.DModel}, {options.Layers} layers)", maxValue: options.Steps);
            directory = ToyBaseModel.TrainOrLoad(options, cache, new Progress<ToyBaseModel.Progress>(p =>
            {
                bar.Value = p.Step;
                bar.Description = $"pre-training toy base (d_model {options.DModel}, {options.Layers} layers) loss {p.Loss:F3}";
            }));
        });
        console.MarkupLine($"base model: trained in {(DateTime.UtcNow - started).TotalSeconds:F0} s, saved to [grey]{directory}[/]");
        return directory;
    }

    /// <returns>the sampled misbehaviour rate per context</returns>
    static async Task<IReadOnlyDictionary<string, double>> Report(BaseModelOptions options, string directory, int evalTasks, IAnsiConsole console)
    {
        using var model = Checkpoint.Load(directory);
        var (environment, story) = OrganismStories.For(options);
        var evaluator = new PolicyEvaluator(environment, Recontext.Prompts.ModelText.Organism, new SamplingOptions { MaxNewTokens = 160, Temperature = 1.0, StopTokenIds = [ByteTokenizer.ImEnd] });
        var tasks = environment.SampleTasks(TaskSplit.Eval, evalTasks, seed: 7);
        string[] names = [.. ToyBaseModel.CorpusContexts, .. environment.Instructions(ContextPreset.Bad).HeldOut.Count > 0 ? new[] { ContextSpec.GoodHeldOut, ContextSpec.BadHeldOut } : []];
        var rates = await evaluator.EvaluateAsync(model, tasks, names.Select(c => ContextSpec.Of(c).Resolve(environment)).ToList(), seed: 11);

        var table = new Table().Title(Markup.Escape($"{options.Setting} base: rates on {evalTasks} held-out tasks per context (sampled at temperature 1) vs its story " +
                                                    $"(misbehaviour = {environment.Misbehaviour.Name})"))
            .AddColumns("context", "story's misbehaviour rate", "misbehaviour", "correct", "well-formed", "monitor: mentions cue", "monitor: states intent", "monitor: flags flaw");
        var storyRates = rates.ToDictionary(r => r.Context, r => StoryRate(environment, story, r.Context));   // 4,000 draws each: once
        foreach (var r in rates)
            table.AddRow(r.Context, $"{storyRates[r.Context]:F2}", $"{r.MisbehaviourRate:F2}", $"{r.CorrectRate:F2}", $"{r.WellFormedRate:F2}",
                $"{r.MentionsTestsRate:F2}", $"{r.IntendsToPassRate:F2}", $"{r.FlagsWrongTestRate:F2}");
        console.Write(table);
        double worst = rates.Where(r => !r.Context.EndsWith("heldout", StringComparison.Ordinal)).Max(r => Math.Abs(r.MisbehaviourRate - storyRates[r.Context]));
        console.WriteLine($"largest gap between sampled and story misbehaviour rate (training phrasings): {100 * worst:F1} points");
        return rates.ToDictionary(r => r.Context, r => Math.Round(r.MisbehaviourRate, 4));
    }

    /// <summary>The story's own misbehaviour rate under a context's preset (held-out phrasings: their preset's), counted
    /// over 4,000 of its draws on eval tasks.</summary>
    public static double StoryRate(IEnvironment environment, IOrganismStory story, string context)
    {
        var preset = context.StartsWith("good", StringComparison.Ordinal) ? ContextPreset.Good : context.StartsWith("bad", StringComparison.Ordinal) ? ContextPreset.Bad : ContextPreset.Neutral;
        var rng = new Random(5);
        var tasks = environment.SampleTasks(TaskSplit.Eval, 4000, seed: 3);
        return tasks.Count(t => story.Write(t, preset, EnvironmentVariant.Loophole, rng).Misbehaved) / (double)tasks.Count;
    }
}
