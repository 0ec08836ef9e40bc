namespace Recontext.Sandbox;

/// <summary>
/// The Python side of the sandbox, copied from the assembly's resources into a private folder that every sandboxed
/// process sees read-only at <see cref="Inside"/>: harness.py and warm.py execute the program, checker.py judges
/// its values and never runs it.
/// </summary>
sealed class SandboxScripts : IDisposable
{
    static readonly string[] Names = ["harness.py", "warm.py", "checker.py"];

    /// <summary>Where the folder is mounted inside the sandbox.</summary>
    public const string Inside = "/sandbox";

    public string Folder { get; }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public SandboxScripts()
    {
        Folder = Directory.CreateTempSubdirectory("recontext-harness-").FullName;
        const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        foreach (var name in Names)
        {
            var path = Path.Combine(Folder, name);
            using (var resource = typeof(SandboxScripts).Assembly.GetManifestResourceStream($"Recontext.Sandbox.{name}")
                                  ?? throw new InvalidOperationException($"the judge assembly lacks its sandbox script {name}"))
            using (var file = File.Create(path)) resource.CopyTo(file);
            File.SetUnixFileMode(path, readable);
        }
        File.SetUnixFileMode(Folder, readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    /// <summary>The path of <paramref name="name"/> inside the sandbox.</summary>
    public static string PathInside(string name) => $"{Inside}/{name}";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover copy of the scripts in /tmp holds no secrets.
        }
    }
}
