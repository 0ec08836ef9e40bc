using System.Text.Json;

namespace Recontext.Cli.Gateway;

/// <summary>The shape of the commands that talk to a gateway: parse, call, print; a gateway's refusal is one line
/// and exit code 2.</summary>
public abstract class GatewayCommand : Commands.ICliCommand
{
    public abstract string Name { get; }
    public abstract string Summary { get; }
    public abstract string Usage { get; }

    protected const string ConnectionUsage = """
          --gateway URL   the gateway (or RECONTEXT_GATEWAY_URL; default http://127.0.0.1:8080)
          --api-key KEY   for calls that change runs (or RECONTEXT_API_KEY)
        """;

    protected virtual IReadOnlyCollection<string> Flags => [];
    protected virtual IReadOnlyCollection<string> Options => [];

    public int Run(IReadOnlyList<string> args)
    {
        var parsed = CliArguments.Parse(args, Flags, [.. Options, GatewayClient.Options, GatewayClient.KeyOption]);
        using var client = GatewayClient.From(parsed);
        try
        {
            return RunAsync(parsed, client).GetAwaiter().GetResult();
        }
        catch (GatewayException e)
        {
            Console.Error.WriteLine($"recontext {Name}: {e.Message}");
            return 2;
        }
    }

    protected abstract Task<int> RunAsync(CliArguments parsed, GatewayClient gateway);

    protected static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "";

    protected static string OneRun(CliArguments parsed) =>
        parsed.Positionals.Count == 1 ? parsed.Positionals[0] : throw new CliUsageException("name one run id (`recontext runs` lists them)");
}
