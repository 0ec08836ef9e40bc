using System.Text.Json;
using Recontext.Model.Checkpoints;

namespace Recontext.Organism;

/// <summary>
/// Pre-trained organism bases kept in the repository (<c>organisms/bases/base-KEY/</c>: config.json, model.safetensors and
/// base.json saying how it was made), so that a fresh clone's first demo skips pre-training and every machine starts from
/// the same weights. A base is used only when its key — the hash of everything that shapes it — equals the key the run
/// asks for; it is copied into the cache first (the demo writes its detector beside the base).
/// </summary>
public static class ShippedBases
{
    public const string Folder = "organisms/bases";

    public const string DescriptionFile = "base.json";

    /// <summary>What base.json says of a shipped base.</summary>
    /// <param name="Command">the command that regenerates it</param>
    /// <param name="Rates">its misbehaviour rate per context, measured when it was shipped</param>
    public sealed record Description(string Setting, string Key, string Command, IReadOnlyDictionary<string, double> Rates);

    /// <summary>The repository's shipped bases folder (found above the working directory or the binary), or null outside a checkout.</summary>
    public static string? Directory()
    {
        foreach (var start in new[] { System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Recontext.slnx")))
                    return Path.Combine(dir.FullName, Folder);
        return null;
    }

    /// <summary>The shipped base with this key, or null.</summary>
    public static string? Find(string key) =>
        Directory() is { } root && Path.Combine(root, $"base-{key}") is var folder && File.Exists(Path.Combine(folder, Checkpoint.WeightsFile)) ? folder : null;

    /// <summary>Copies a shipped base into <paramref name="target"/> (written to a temporary folder and moved, so a
    /// copy cut short never looks complete).</summary>
    public static void CopyTo(string shipped, string target)
    {
        var partial = target + ".partial";
        if (System.IO.Directory.Exists(partial)) System.IO.Directory.Delete(partial, recursive: true);
        System.IO.Directory.CreateDirectory(partial);
        foreach (var file in System.IO.Directory.GetFiles(shipped)) File.Copy(file, Path.Combine(partial, Path.GetFileName(file)));
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (System.IO.Directory.Exists(target)) System.IO.Directory.Delete(target, recursive: true);   // a folder without weights: unfinished
        System.IO.Directory.Move(partial, target);
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Description Read(string folder) =>
        JsonSerializer.Deserialize<Description>(File.ReadAllText(Path.Combine(folder, DescriptionFile)), Json)
        ?? throw new InvalidDataException($"{folder}: empty {DescriptionFile}");

    /// <summary>Ships a trained base: its weights and config, and what made it.</summary>
    public static string Ship(string trained, Description description, string root)
    {
        var folder = Path.Combine(root, $"base-{description.Key}");
        if (System.IO.Directory.Exists(folder)) System.IO.Directory.Delete(folder, recursive: true);
        System.IO.Directory.CreateDirectory(folder);
        foreach (var name in new[] { Checkpoint.ConfigFile, Checkpoint.WeightsFile }) File.Copy(Path.Combine(trained, name), Path.Combine(folder, name));
        File.WriteAllText(Path.Combine(folder, DescriptionFile), JsonSerializer.Serialize(description, Json));
        return folder;
    }
}
