using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Recontext.Gateway.Host;

namespace Recontext.Cli;

/// <summary>
/// <c>--dashboard [URL]</c> on the commands that train (run, demo, sweep): the gateway's dashboard, served from this
/// process over the results folder's parent while the command works, so its runs can be watched in a browser as they
/// train. Dashboard only: it takes no runs and resumes none, and it listens on loopback unless told otherwise.
/// </summary>
public sealed class DashboardOption
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public Option<string?> Url { get; } = new("--dashboard")
    {
        Description = $"serve the dashboard while this works (default {DefaultUrl}; give another URL to move it)",
        Arity = ArgumentArity.ZeroOrOne,
    };

    public void AddTo(Command command) => command.Options.Add(Url);

    /// <summary>Starts the dashboard when the option was given, over <paramref name="resultsFolder"/>'s parent (its
    /// runs show as experiment <c>basename(resultsFolder)</c>); null when not asked for, or when it cannot start (said
    /// on stderr: the command's work goes on without it).</summary>
    public async Task<WebApplication?> StartAsync(ParseResult parsed, string resultsFolder)
    {
        if (parsed.GetResult(Url) is null) return null;
        var url = parsed.GetValue(Url) ?? DefaultUrl;
        var full = Path.GetFullPath(resultsFolder);
        var root = Path.GetDirectoryName(full) ?? full;
        try
        {
            var app = GatewayHost.Build(["--runs", root, "--urls", url, "--grpc-url", "http://127.0.0.1:0", "--dashboard-only", "true",
                "--cache", RepositoryPaths.Cache("organism"), "--Logging:LogLevel:Default", "Warning"]);
            await app.StartAsync();
            Console.WriteLine($"dashboard: {url.TrimEnd('/')}/dashboard/runs?experiment={Uri.EscapeDataString(Path.GetFileName(full))}");
            return app;
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"--dashboard: not started ({e.Message.Split('\n')[0]}); give another address, e.g. --dashboard http://127.0.0.1:8088");
            return null;
        }
    }

    /// <summary>Runs <paramref name="work"/> with the dashboard up when it was asked for, and stops it after.</summary>
    public int Around(ParseResult parsed, string resultsFolder, Func<int> work)
    {
        var app = StartAsync(parsed, resultsFolder).GetAwaiter().GetResult();
        try
        {
            return work();
        }
        finally
        {
            if (app is not null)
            {
                app.StopAsync().GetAwaiter().GetResult();
                app.DisposeAsync().AsTask().GetAwaiter().GetResult();
                Console.WriteLine($"dashboard stopped with the command; `recontext serve gateway --runs {Path.GetDirectoryName(Path.GetFullPath(resultsFolder))}` serves it again");
            }
        }
    }
}
