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

    /// <summary>Where cached artefacts (the organism's base models) live: .cache/ in the repository, else ~/.cache/recontext.</summary>
    public static string Cache(string name) => Root() is string root
        ? Path.Combine(root, ".cache", name)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "recontext", name);

    /// <summary>A file of the development data kept beside the repository (../shared/data/NAME).</summary>
    public static string SharedData(string name) =>
        Path.GetFullPath(Path.Combine(Root() ?? Directory.GetCurrentDirectory(), "..", "shared", "data", name));
}
