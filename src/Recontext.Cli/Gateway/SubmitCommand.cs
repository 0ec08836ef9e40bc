namespace Recontext.Cli.Gateway;

/// <summary>`recontext submit FILE.yaml`: hands an experiment to the gateway and prints its run id.</summary>
public sealed class SubmitCommand : GatewayCommand
{
    public override string Name => "submit";
    public override string Summary => "submit an experiment YAML to a gateway; prints the run id";
    public override string Usage => "recontext submit FILE.yaml [--gateway URL] [--api-key KEY]\n" + ConnectionUsage;

    protected override async Task<int> RunAsync(CliArguments parsed, GatewayClient gateway)
    {
        if (parsed.Positionals.Count != 1) throw new CliUsageException("name one experiment file");
        var file = parsed.Positionals[0];
        if (!File.Exists(file)) throw new CliUsageException($"{file} does not exist");
        var run = await gateway.PostAsync("/api/runs", await File.ReadAllTextAsync(file));
        Console.WriteLine(Text(run, "id"));
        return 0;
    }
}
