using System.Diagnostics;
using Recontext.TestSupport;

namespace Recontext.Cli.Tests;

/// <summary>The built `recontext` command line, run as a process the way a user runs it.</summary>
static class RecontextCli
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args) => Run(args, whileRunning: null);

    /// <summary>The command line with some of its environment variables set (e.g. a PATH without a tool).</summary>
    public static Result RunWith(IReadOnlyDictionary<string, string> environment, params string[] args) => Run(args, null, environment);

    /// <param name="whileRunning">called until it returns true (or the process ends), while the command works</param>
    public static Result Run(string[] args, Func<bool>? whileRunning, IReadOnlyDictionary<string, string>? environment = null)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(RepositoryRoot.Path, "cli", "Recontext.Cli", "bin", configuration, "net10.0", "recontext.dll");
        Assert.True(File.Exists(dll), $"the command line is not built at {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        // The gateway commands read these when no option is given: the tests say everything on the command line.
        start.Environment.Remove("RECONTEXT_GATEWAY_URL");
        start.Environment.Remove("RECONTEXT_API_KEY");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var outputTask = process.StandardOutput.ReadToEndAsync();
        if (whileRunning is not null)
            while (!process.HasExited && !whileRunning()) Thread.Sleep(100);
        var output = outputTask.Result;
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"recontext {string.Join(' ', args)} did not finish within 2 minutes");
        }
        return new Result(process.ExitCode, output, error.Result);
    }
}
