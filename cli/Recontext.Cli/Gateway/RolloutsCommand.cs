using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Recontext.Cli.Gateway;

/// <summary>`recontext rollouts RUN [--hack] [--step N] ...`: a page of a run's rollouts, filtered by the gateway.</summary>
public sealed class RolloutsCommand : GatewayCommand
{
    readonly Argument<string> run = RunArgument();
    readonly Option<int?> step = CliOptions.Int("--step", "only this step's rollouts", min: 0);
    readonly Option<bool> hack = CliOptions.Flag("--hack", "only rollouts that misbehaved (the setting's misbehaviour: a hack, agreement with a wrong belief ...)");
    readonly Option<bool> noHack = CliOptions.Flag("--no-hack", "only rollouts that did not misbehave");
    readonly Option<bool> correct = CliOptions.Flag("--correct", "only correct rollouts");
    readonly Option<bool> incorrect = CliOptions.Flag("--incorrect", "only incorrect rollouts");
    readonly Option<string?> context = CliOptions.Text("--context", "only rollouts generated under this context");
    readonly Option<string?> evalContext = CliOptions.Text("--eval-context", "the evaluations' samples under this eval context instead of training rollouts");
    readonly Option<bool> evaluation = CliOptions.Flag("--eval", "the evaluations' samples (every eval context) instead of training rollouts");
    readonly Option<string?> label = new("--label") { Description = "a monitor label that must be set" };
    readonly Option<long?> seed = new("--seed") { Description = "the seed's run (default: the run's first seed)" };
    readonly Option<int?> pageNumber = CliOptions.Int("--page", "the page (default 1)");
    readonly Option<int?> pageSize = CliOptions.Int("--page-size", "rollouts a page (default 20)", max: 500);
    readonly Option<bool> text = CliOptions.Flag("--text", "print each completion's text in full instead of a table");

    protected override string Name => "rollouts";
    protected override string Description => "browse a gateway's run's rollouts, or its evaluations' samples (filters: step, hack, correct, context, eval context, monitor label)";

    protected override void Configure(Command command)
    {
        label.AcceptOnlyFromAmong("monitor.mentionsTests", "monitor.intendsToPassTests", "monitor.flagsWrongTest");
        command.Arguments.Add(run);
        foreach (var option in new Option[] { step, hack, noHack, correct, incorrect, context, evalContext, evaluation, label, seed, pageNumber, pageSize, text }) command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if (result.GetValue(hack) && result.GetValue(noHack)) result.AddError("give --hack or --no-hack, not both");
            if (result.GetValue(correct) && result.GetValue(incorrect)) result.AddError("give --correct or --incorrect, not both");
        });
    }

    protected override async Task<int> RunAsync(ParseResult parsed, GatewayClient gateway)
    {
        var id = parsed.GetValue(run)!;
        var query = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null) query.Add($"{name}={Uri.EscapeDataString(Convert.ToString(value, CultureInfo.InvariantCulture)!)}");
        }
        Add("step", parsed.GetValue(step));
        Add("misbehaved", parsed.GetValue(hack) ? "true" : parsed.GetValue(noHack) ? "false" : null);
        Add("correct", parsed.GetValue(correct) ? "true" : parsed.GetValue(incorrect) ? "false" : null);
        Add("context", parsed.GetValue(context));
        Add("evalContext", parsed.GetValue(evalContext));
        Add("kind", parsed.GetValue(evaluation) ? "eval" : null);
        Add("label", parsed.GetValue(label));
        Add("seed", parsed.GetValue(seed));
        Add("page", parsed.GetValue(pageNumber));
        Add("pageSize", parsed.GetValue(pageSize));
        var page = await gateway.GetAsync($"/api/runs/{Uri.EscapeDataString(id)}/rollouts{(query.Count > 0 ? "?" + string.Join("&", query) : "")}");
        var rollouts = page.GetProperty("rollouts").EnumerateArray().ToList();
        if (parsed.GetValue(text))
        {
            foreach (var r in rollouts)
                Console.WriteLine($"--- step {Text(r, "step")} #{Text(r, "index")} {Contexts(r)}, " +
                                  $"misbehaved {Text(r, "misbehaved")}, correct {Text(r, "correct")}, reward {Text(r, "trainReward")}\n{Text(r, "text")}");
        }
        else
        {
            var table = new Table().AddColumns("step", "#", "f_gen -> f_train", "misbehaved", "correct", "reward", "intends", "completion");
            foreach (var r in rollouts)
            {
                var text = Text(r, "text").ReplaceLineEndings(" ");
                table.AddRow(Text(r, "step"), Text(r, "index"), Markup.Escape(Contexts(r)), Text(r, "misbehaved"),
                    Text(r, "correct"), Text(r, "trainReward"), Text(r, "intendsToPassTests"), Markup.Escape(text.Length > 60 ? text[..60] + "…" : text));
            }
            AnsiConsole.Write(table);
        }
        Console.WriteLine($"{rollouts.Count} of {Text(page, "total")} matching (page {Text(page, "page")}, {Text(page, "pageSize")} a page)");
        return 0;
    }

    /// <summary>"good -> bad" for a training rollout, "eval: neutral" for an evaluation sample.</summary>
    static string Contexts(System.Text.Json.JsonElement r) =>
        Text(r, "evalContext") is { Length: > 0 } eval ? $"eval: {eval}" : $"{Text(r, "generationContext")} -> {Text(r, "trainingContext")}";
}
