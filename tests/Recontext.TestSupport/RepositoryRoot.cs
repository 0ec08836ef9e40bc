namespace Recontext.TestSupport;

/// <summary>The repository a test runs from (the folder holding Recontext.slnx above the test's binaries).</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Recontext.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Recontext.slnx above {AppContext.BaseDirectory}");
    }
}
