using System.CommandLine;
using System.Text.Json;

namespace Recontext.Cli.Gateway;

/// <summary>The shape of the commands that talk to a gateway: its URL and key options, then parse, call, print; a
/// gateway's refusal is one line and exit code 2.</summary>
public abstract class GatewayCommand : Commands.ICliCommand
{
    readonly Option<string?> gatewayUrl = CliOptions.Text(GatewayClient.Options, "the gateway (or RECONTEXT_GATEWAY_URL; default http://127.0.0.1:8080)");
    readonly Option<string?> apiKey = CliOptions.Text(GatewayClient.KeyOption, "the gateway's API key: for calls that change runs, and for reads from a gateway listening beyond loopback (or RECONTEXT_API_KEY)");

    protected abstract string Name { get; }
    protected abstract string Description { get; }

    /// <summary>Adds the command's own arguments and options.</summary>
    protected abstract void Configure(Command command);

    protected abstract Task<int> RunAsync(ParseResult parsed, GatewayClient gateway);

    public Command Build()
    {
        var command = new Command(Name, Description);
        Configure(command);
        command.Options.Add(gatewayUrl);
        command.Options.Add(apiKey);
        command.SetAction(parsed =>
        {
            using var client = GatewayClient.From(parsed.GetValue(gatewayUrl), parsed.GetValue(apiKey));
            try
            {
                return RunAsync(parsed, client).GetAwaiter().GetResult();
            }
            catch (GatewayException e)
            {
                Console.Error.WriteLine($"recontext {Name}: {e.Message}");
                return CliApp.UsageError;
            }
        });
        return command;
    }

    protected static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "";

    protected static Argument<string> RunArgument() => new("RUN") { Description = "the run's id (`recontext runs` lists them)" };
}
