using System.Diagnostics;

namespace Recontext.Sandbox;

/// <summary>Reads /proc to count processes by owner (for RLIMIT_NPROC and for checking nothing was left running).</summary>
public static class SandboxProcesses
{
    /// <summary>Sends SIGKILL; a process that already ended is ignored.</summary>
    public static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone already, or not ours to kill.
        }
    }

    /// <summary>Pids whose parent is <paramref name="parent"/> (from /proc/*/stat).</summary>
    public static IReadOnlyList<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so split after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == parent) children.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }
        return children;
    }

    /// <returns>pids of processes whose real uid is in <paramref name="uids"/> (zombies too when asked: they still
    /// count against RLIMIT_NPROC until reaped)</returns>
    public static IReadOnlyList<int> OwnedBy(IReadOnlyCollection<int> uids, bool includeZombies = false)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var status = File.ReadAllLines(Path.Combine(dir, "status"));
                var state = status.FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal)) ?? "";
                var uidLine = status.FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                if (uidLine is null || (!includeZombies && state.Contains("zombie", StringComparison.Ordinal))) continue;
                var realUid = int.Parse(uidLine.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
                if (uids.Contains(realUid)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return found;
    }

    /// <summary>Live processes of the current user.</summary>
    public static int CountOfCurrentUser()
    {
        var uid = int.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
        return OwnedBy([uid]).Count;
    }
}
