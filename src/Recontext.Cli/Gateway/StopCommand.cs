namespace Recontext.Cli.Gateway;

/// <summary>`recontext stop RUN`: asks the gateway to stop a run (it keeps its resume point).</summary>
public sealed class StopCommand : GatewayCommand
{
    public override string Name => "stop";
    public override string Summary => "stop a gateway's run";
    public override string Usage => "recontext stop RUN [--gateway URL] [--api-key KEY]\n" + ConnectionUsage;

    protected override async Task<int> RunAsync(CliArguments parsed, GatewayClient gateway)
    {
        var id = OneRun(parsed);
        await gateway.PostAsync($"/api/runs/{Uri.EscapeDataString(id)}/stop");
        Console.WriteLine($"{id}: stop requested");
        return 0;
    }
}
