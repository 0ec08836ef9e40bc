using System.CommandLine;
namespace Recontext.Cli.Gateway;

/// <summary>`recontext submit FILE.yaml`: hands an experiment to the gateway and prints its run id.</summary>
public sealed class SubmitCommand : GatewayCommand
{
    readonly Argument<FileInfo> file = CliOptions.ExistingFile("FILE.yaml", "the experiment (examples in experiments/)");

    protected override string Name => "submit";
    protected override string Description => "submit an experiment YAML to a gateway; prints the run id";

    protected override void Configure(Command command) => command.Arguments.Add(file);

    protected override async Task<int> RunAsync(ParseResult parsed, GatewayClient gateway)
    {
        var run = await gateway.PostAsync("/api/runs", await File.ReadAllTextAsync(parsed.GetValue(file)!.FullName));
        Console.WriteLine(Text(run, "id"));
        return 0;
    }
}
