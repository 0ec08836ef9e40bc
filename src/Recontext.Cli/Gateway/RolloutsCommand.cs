using Spectre.Console;

namespace Recontext.Cli.Gateway;

/// <summary>`recontext rollouts RUN [--hack] [--step N] ...`: a page of a run's rollouts, filtered by the gateway.</summary>
public sealed class RolloutsCommand : GatewayCommand
{
    public override string Name => "rollouts";
    public override string Summary => "browse a gateway's run's rollouts (filters: step, hack, correct, context, monitor label)";
    public override string Usage => """
        recontext rollouts RUN [--step N] [--hack | --no-hack] [--correct | --incorrect] [--context NAME] [--label LABEL]
                               [--seed S] [--page P] [--page-size N] [--text] [--gateway URL]
          --label   a monitor label that must be set: monitor.mentionsTests, monitor.intendsToPassTests, monitor.flagsWrongTest
          --text    print each completion's text in full instead of a table
        """ + "\n" + ConnectionUsage;

    protected override IReadOnlyCollection<string> Flags => ["--hack", "--no-hack", "--correct", "--incorrect", "--text"];
    protected override IReadOnlyCollection<string> Options => ["--step", "--context", "--label", "--seed", "--page", "--page-size"];

    protected override async Task<int> RunAsync(CliArguments parsed, GatewayClient gateway)
    {
        var id = OneRun(parsed);
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null) query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        Add("step", parsed.Get("--step"));
        Add("hack", parsed.Has("--hack") ? "true" : parsed.Has("--no-hack") ? "false" : null);
        Add("correct", parsed.Has("--correct") ? "true" : parsed.Has("--incorrect") ? "false" : null);
        Add("context", parsed.Get("--context"));
        Add("label", parsed.Get("--label"));
        Add("seed", parsed.Get("--seed"));
        Add("page", parsed.Get("--page"));
        Add("pageSize", parsed.Get("--page-size"));
        var page = await gateway.GetAsync($"/api/runs/{Uri.EscapeDataString(id)}/rollouts{(query.Count > 0 ? "?" + string.Join("&", query) : "")}");
        var rollouts = page.GetProperty("rollouts").EnumerateArray().ToList();
        if (parsed.Has("--text"))
        {
            foreach (var r in rollouts)
                Console.WriteLine($"--- step {Text(r, "step")} #{Text(r, "index")} {Text(r, "generationContext")} -> {Text(r, "trainingContext")}, " +
                                  $"hack {Text(r, "hack")}, correct {Text(r, "correct")}, reward {Text(r, "trainReward")}\n{Text(r, "text")}");
        }
        else
        {
            var table = new Table().AddColumns("step", "#", "f_gen -> f_train", "hack", "correct", "reward", "intends", "completion");
            foreach (var r in rollouts)
            {
                var text = Text(r, "text").ReplaceLineEndings(" ");
                table.AddRow(Text(r, "step"), Text(r, "index"), Markup.Escape($"{Text(r, "generationContext")} -> {Text(r, "trainingContext")}"), Text(r, "hack"),
                    Text(r, "correct"), Text(r, "trainReward"), Text(r, "intendsToPassTests"), Markup.Escape(text.Length > 60 ? text[..60] + "…" : text));
            }
            AnsiConsole.Write(table);
        }
        Console.WriteLine($"{rollouts.Count} of {Text(page, "total")} matching (page {Text(page, "page")}, {Text(page, "pageSize")} a page)");
        return 0;
    }
}
