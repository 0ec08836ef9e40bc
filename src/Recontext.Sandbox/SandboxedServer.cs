using System.Diagnostics;
using System.Text;

namespace Recontext.Sandbox;

/// <summary>
/// A long-lived sandboxed Python process that answers each request line with one response line (the warm
/// interpreter, the test checker). Started on first use; a server that dies, stops answering or is replaced is
/// killed whole and started afresh on the next request. Used by one worker thread at a time.
/// </summary>
sealed class SandboxedServer(string name, Func<List<string>> command) : IDisposable
{
    Process? process;
    StringBuilder stderr = new();

    /// <summary>The outermost process (bubblewrap) while the server runs.</summary>
    public int? ProcessId => process?.Id;

    /// <summary>Sends one request and waits up to <paramref name="timeout"/> for its answer.</summary>
    /// <exception cref="SandboxServerException">the server died or did not answer in time (it is then killed)</exception>
    public string Request(string line, TimeSpan timeout)
    {
        var server = process ??= Start();
        try
        {
            server.StandardInput.Write(line);
            server.StandardInput.Write('\n');
            server.StandardInput.Flush();
        }
        catch (IOException)
        {
            throw Failed("exited before it read the request", unread: true);
        }
        var answer = server.StandardOutput.ReadLineAsync();
        if (!answer.Wait(timeout)) throw Failed($"did not answer within {timeout.TotalSeconds:0.#} s", timedOut: true);
        return answer.Result ?? throw Failed("exited without answering");
    }

    SandboxServerException Failed(string what, bool unread = false, bool timedOut = false)
    {
        string log;
        lock (stderr) log = stderr.ToString().Trim();
        Stop();
        return new SandboxServerException($"the sandbox's {name} {what}" + (log.Length > 0 ? $"; its stderr: {log}" : ""), unread, timedOut);
    }

    Process Start()
    {
        var parts = command();
        var start = new ProcessStartInfo(parts[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        foreach (var arg in parts.Skip(1)) start.ArgumentList.Add(arg);
        var started = Process.Start(start) ?? throw new SandboxUnavailableException($"could not start the sandbox's {name} ({parts[0]})");
        var log = stderr = new StringBuilder();
        started.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log)
            {
                if (log.Length < 8192) log.AppendLine(e.Data);
            }
        };
        started.BeginErrorReadLine();
        return started;
    }

    /// <summary>Kills the server (its namespace's pid 1 first, so bubblewrap reaps it; see ProcessLauncher).</summary>
    public void Stop()
    {
        if (process is not { } server) return;
        process = null;
        try
        {
            server.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
        ProcessLauncher.KillTree(server);
        server.WaitForExit(TimeSpan.FromSeconds(5));
        server.Dispose();
    }

    public void Dispose() => Stop();
}

/// <summary>A sandbox server failed mid-request; the request's completion cannot be judged by it.</summary>
/// <param name="Unread">the server was gone before it read the request (it never ran)</param>
/// <param name="TimedOut">the server was killed for not answering in time</param>
public sealed class SandboxServerException(string message, bool unread = false, bool timedOut = false) : Exception(message)
{
    public bool Unread { get; } = unread;
    public bool TimedOut { get; } = timedOut;
}
