namespace Recontext.Trainer.Messaging;

/// <summary>
/// A run's policy versions on the trainer's disk: version 0 is the start checkpoint, version v the folder
/// <c>v{v}</c> saved after update v (weights + optimizer moments). Saved atomically (into <c>v{v}.partial</c>, then
/// renamed); the two newest are kept, so a coordinator stopped between an update and its resume point can still
/// resume from the version before.
/// </summary>
public sealed class PolicyVersions(string start, string root)
{
    public string Start { get; } = start;

    public string Root { get; } = root;

    string PathOf(int version) => Path.Combine(Root, $"v{version}");

    /// <returns>the folder of <paramref name="version"/>, or null when it is not held (any more)</returns>
    public string? Find(int version) =>
        version == 0 ? Start : version > 0 && Directory.Exists(PathOf(version)) ? PathOf(version) : null;

    /// <summary>Saves <paramref name="version"/> with <paramref name="write"/> (which fills the folder it is given),
    /// then drops versions older than the one before it.</summary>
    public void Save(int version, Action<string> write)
    {
        var final = PathOf(version);
        var partial = final + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        write(partial);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(partial, final);
        foreach (var old in Directory.EnumerateDirectories(Root, "v*"))
            if (int.TryParse(Path.GetFileName(old)[1..], out int v) && v < version - 1) Directory.Delete(old, recursive: true);
    }
}
