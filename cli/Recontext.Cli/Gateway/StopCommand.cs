using System.CommandLine;
namespace Recontext.Cli.Gateway;

/// <summary>`recontext stop RUN`: asks the gateway to stop a run (it keeps its resume point).</summary>
public sealed class StopCommand : GatewayCommand
{
    readonly Argument<string> run = RunArgument();

    protected override string Name => "stop";
    protected override string Description => "stop a gateway's run (it keeps its resume point)";

    protected override void Configure(Command command) => command.Arguments.Add(run);

    protected override async Task<int> RunAsync(ParseResult parsed, GatewayClient gateway)
    {
        var id = parsed.GetValue(run)!;
        await gateway.PostAsync($"/api/runs/{Uri.EscapeDataString(id)}/stop");
        Console.WriteLine($"{id}: stop requested");
        return 0;
    }
}
