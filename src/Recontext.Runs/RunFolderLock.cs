namespace Recontext.Runs;

/// <summary>
/// One run at a time in a results folder: an exclusive lock on <c>DIR/run.lock</c>, held while the run works (the
/// operating system releases it when the process ends, however it ends). A second run into the same folder is
/// refused instead of interleaving its writes with the first's.
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    public const string FileName = "run.lock";

    readonly FileStream stream;

    RunFolderLock(FileStream stream) => this.stream = stream;

    /// <exception cref="IOException">another run holds the folder (the message names it)</exception>
    public static RunFolderLock Take(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            return new RunFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new IOException($"{directory} is in use by another run (it holds {path}); give another results folder, or wait for that run", e);
        }
    }

    public void Dispose() => stream.Dispose();
}
