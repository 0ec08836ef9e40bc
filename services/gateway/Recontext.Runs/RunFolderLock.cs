namespace Recontext.Runs;

/// <summary>
/// One run at a time in a results folder: an exclusive lock on <c>DIR/run.lock</c>, held while the run works (the
/// operating system releases it when the process ends, however it ends). A second run into the same folder is
/// refused instead of interleaving its writes with the first's. The holder also writes <c>DIR/run.owner</c> (its process
/// id and start time) for readers such as the dashboard: they learn whether the run is live without touching the lock,
/// which on Linux would briefly hold a shared lock that a run starting at that instant would trip over.
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    public const string FileName = "run.lock";

    public const string OwnerFileName = "run.owner";

    static readonly TimeSpan SameStart = TimeSpan.FromSeconds(1);

    readonly FileStream stream;
    readonly string ownerPath;

    RunFolderLock(FileStream stream, string ownerPath) => (this.stream, this.ownerPath) = (stream, ownerPath);

    /// <exception cref="IOException">another run holds the folder (the message names it)</exception>
    public static RunFolderLock Take(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            var owner = Path.Combine(directory, OwnerFileName);
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            File.WriteAllText(owner, $"{Environment.ProcessId} {self.StartTime.ToUniversalTime().Ticks}");
            return new RunFolderLock(stream, owner);
        }
        catch (IOException e)
        {
            throw new IOException($"{directory} is in use by another run (it holds {path}); give another results folder, or wait for that run", e);
        }
    }

    /// <summary>Whether a live process holds <paramref name="directory"/>: its owner file names a process that is still
    /// running and started when the file says (a crashed holder leaves the file, and its id may be reused).</summary>
    public static bool IsHeld(string directory)
    {
        string[] owner;
        try
        {
            owner = File.ReadAllText(Path.Combine(directory, OwnerFileName)).Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        if (owner.Length != 2 || !int.TryParse(owner[0], out int pid) || !long.TryParse(owner[1], out long started)) return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            // Not equality: .NET derives a start time from the boot time as each process estimates it, so two processes
            // see one start time a few milliseconds apart. A reused id would belong to a process started much later.
            return Math.Abs(process.StartTime.ToUniversalTime().Ticks - started) < SameStart.Ticks;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;   // no such process (any more)
        }
    }

    public void Dispose()
    {
        File.Delete(ownerPath);
        stream.Dispose();
    }
}
