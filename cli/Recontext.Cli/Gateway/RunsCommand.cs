using System.CommandLine;
using Spectre.Console;

namespace Recontext.Cli.Gateway;

/// <summary>`recontext runs`: the gateway's runs as a table.</summary>
public sealed class RunsCommand : GatewayCommand
{
    protected override string Name => "runs";
    protected override string Description => "list a gateway's runs";

    protected override void Configure(Command command)
    {
    }

    protected override async Task<int> RunAsync(ParseResult parsed, GatewayClient gateway)
    {
        var runs = await gateway.GetAsync("/api/runs");
        var table = new Table().AddColumns("run", "name", "status", "seeds", "steps", "submitted (UTC)", "error");
        foreach (var r in runs.EnumerateArray())
            table.AddRow(Markup.Escape(Text(r, "id")), Markup.Escape(Text(r, "name")), Text(r, "status"),
                string.Join(",", r.GetProperty("seeds").EnumerateArray()), Text(r, "steps"), Text(r, "submittedUtc"), Markup.Escape(Text(r, "error")));
        AnsiConsole.Write(table);
        return 0;
    }
}
