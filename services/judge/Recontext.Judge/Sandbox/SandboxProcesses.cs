namespace Recontext.Judge.Sandbox;

/// <summary>Reads /proc to count processes by owner (for RLIMIT_NPROC and for checking nothing was left running).</summary>
public static class SandboxProcesses
{
    /// <returns>pids of live (not zombie) processes whose real uid is in <paramref name="uids"/></returns>
    public static IReadOnlyList<int> OwnedBy(IReadOnlyCollection<int> uids)
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
                if (uidLine is null || state.Contains("zombie", StringComparison.Ordinal)) continue;
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
