using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Recontext.Cli.Cluster;

/// <summary>
/// Starts programs in sessions of their own (so they outlive the command that started them and a signal to the
/// group reaches every process they spawn), output to a log file, and stops them by process group.
/// </summary>
public static partial class ProcessGroups
{
    const int SigTerm = 15;
    const int SigKill = 9;
    const int SigStop = 19;
    const int SigCont = 18;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    /// <returns>the process id, which is also its process group's id</returns>
    public static int Start(string program, IEnumerable<string> arguments, string log, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true };
        // sh execs the program in place: the pid we get is the program's own, the leader of its new session.
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$RECONTEXT_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add(program);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["RECONTEXT_LOG"] = log;
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        return process.Id;
    }

    public static bool Alive(int pid) => kill(pid, 0) == 0;

    /// <summary>SIGTERM to the group, then SIGKILL to whatever is left after <paramref name="grace"/>.</summary>
    /// <returns>false when the process was already gone</returns>
    public static bool Stop(int pid, TimeSpan grace)
    {
        if (!Alive(pid)) return false;
        kill(-pid, SigTerm);
        var deadline = DateTime.UtcNow + grace;
        while (Alive(pid) && DateTime.UtcNow < deadline) Thread.Sleep(100);
        kill(-pid, SigKill);
        while (Alive(pid) && DateTime.UtcNow < deadline + TimeSpan.FromSeconds(5))
        {
            Reap(pid);
            Thread.Sleep(50);
        }
        return true;
    }

    /// <summary>SIGKILL to the process group (the fault tests' way of killing a service mid-step).</summary>
    public static void Kill(int pid) => kill(-pid, SigKill);

    /// <summary>SIGSTOP / SIGCONT to the process group: a server that stops answering without closing its connections.</summary>
    public static void Pause(int pid) => kill(-pid, SigStop);

    public static void Resume(int pid) => kill(-pid, SigCont);

    // A process this one started stays a zombie (and "alive" to kill(pid, 0)) until it is waited for.
    static void Reap(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            p.WaitForExit(0);
        }
        catch (ArgumentException)
        {
            // not ours, or gone
        }
    }
}
