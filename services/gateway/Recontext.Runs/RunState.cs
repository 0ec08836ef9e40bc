using System.Text.Json;

namespace Recontext.Runs;

/// <summary>
/// Where a run continues after a stop. The coordinator's cursor (<c>DIR/state/cursor.json</c>: the last completed
/// step) is written only after the step's metrics row is on disk; the trainer keeps its policy versions (weights and
/// optimizer moments) under <see cref="VersionsDirectory"/> and resumes from the cursor's version. Every random draw
/// derives from the seed and the step, so nothing else is needed.
/// </summary>
public static class RunState
{
    const string Folder = "state";
    const string CursorFile = "cursor.json";

    sealed record Cursor(int CompletedStep);

    /// <summary>Makes <paramref name="completedStep"/> the resume point (atomically: a stop mid-write keeps the previous one).</summary>
    public static void Commit(string runDirectory, int completedStep)
    {
        var folder = Path.Combine(runDirectory, Folder);
        Directory.CreateDirectory(folder);
        var partial = Path.Combine(folder, CursorFile + ".partial");
        File.WriteAllText(partial, JsonSerializer.Serialize(new Cursor(completedStep)));
        File.Move(partial, Path.Combine(folder, CursorFile), overwrite: true);
    }

    /// <returns>the last completed step, or null when the folder holds no saved state</returns>
    /// <exception cref="InvalidDataException">the cursor is damaged (the message names the file and the way out)</exception>
    public static int? CompletedStep(string runDirectory)
    {
        var cursor = Path.Combine(runDirectory, Folder, CursorFile);
        if (!File.Exists(cursor)) return null;
        try
        {
            return JsonSerializer.Deserialize<Cursor>(File.ReadAllText(cursor)) is { CompletedStep: >= 0 } c
                ? c.CompletedStep : throw new JsonException("no completed step");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{cursor} is damaged ({e.Message}); remove {Path.Combine(runDirectory, Folder)} to start the run over", e);
        }
    }

    /// <summary>Where the run's trainer keeps its policy versions when it shares the run's process.</summary>
    public static string VersionsDirectory(string runDirectory) => Path.Combine(runDirectory, Folder, "policy");
}
