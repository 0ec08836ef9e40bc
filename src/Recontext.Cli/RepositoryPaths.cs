namespace Recontext.Cli;

/// <summary>Finds the repository (the folder holding Recontext.slnx) from the working directory or the binary.</summary>
public static class RepositoryPaths
{
    public static string? Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Recontext.slnx"))) return dir.FullName;
        return null;
    }

    /// <summary>A file of the development data kept beside the repository (../shared/data/NAME).</summary>
    public static string SharedData(string name) =>
        Path.GetFullPath(Path.Combine(Root() ?? Directory.GetCurrentDirectory(), "..", "shared", "data", name));
}
