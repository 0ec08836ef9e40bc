using System.Diagnostics;
using MongoDB.Driver;

namespace Recontext.TestSupport;

/// <summary>
/// A MongoDB for the store's tests: the server <see cref="UrlVariable"/> names (a real mongod), else the
/// MongoDB-wire-compatible jongodb test server that scripts/fetch-test-assets.sh puts in .cache/test-assets, started
/// on a free port and stopped with the fixture. Never skips: without either the tests fail and say how to fix it.
/// </summary>
public sealed class MongoTestServer : IDisposable
{
    public const string UrlVariable = "RECONTEXT_MONGO_URL";

    readonly Process? process;

    /// <summary>"mongod at URL" or "jongodb (test server)".</summary>
    public string Description { get; }

    string BaseUrl { get; }

    public MongoTestServer()
    {
        if (Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } external)
        {
            BaseUrl = external;
            Description = $"MongoDB at {external}";
            return;
        }
        var binary = Path.Combine(RepositoryRoot.Path, ".cache", "test-assets", "jongodb", "jongodb");
        if (!File.Exists(binary))
            throw new InvalidOperationException($"no MongoDB for the store tests: set {UrlVariable} to a server, or run scripts/fetch-test-assets.sh " +
                                                $"(it fetches the jongodb test server into {binary})");
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--host=127.0.0.1");
        start.ArgumentList.Add("--port=0");
        process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        // The server prints its URL once it accepts connections.
        var ready = process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(30)) || ready.Result is not { } line || !line.StartsWith("JONGODB_URI=", StringComparison.Ordinal))
        {
            Dispose();
            throw new InvalidOperationException($"{binary} did not report its URL within 30 s");
        }
        BaseUrl = line["JONGODB_URI=".Length..];
        Description = "jongodb (test server)";
    }

    /// <summary>A connection string to a fresh database of this server (each test gets its own).</summary>
    public string NewDatabaseUrl(string prefix = "recontext-test")
    {
        var builder = new MongoUrlBuilder(BaseUrl) { DatabaseName = $"{prefix}-{Guid.NewGuid():N}"[..40] };
        return builder.ToString();
    }

    public void Dispose()
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
    }
}
