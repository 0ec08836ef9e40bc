using System.Text.Json;
using Recontext.Model.Checkpoints;
using Recontext.Model.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recontext.Runs;

/// <summary>
/// What a run needs to continue after a stop: the policy's weights, the optimizer's moments and the last completed
/// step (every random draw derives from the seed and the step, so nothing else is needed). Written after each step
/// into <c>DIR/state/</c>, replacing the previous one atomically (write to state.partial, then rename).
/// </summary>
public static class RunState
{
    const string Folder = "state";
    const string OptimizerFile = "optimizer.bin";
    const string CursorFile = "cursor.json";

    sealed record Cursor(int CompletedStep);

    /// <summary>Writes the weights and optimizer moments after a step into <c>state.partial</c>; the step counts as
    /// completed only at <see cref="Commit"/>, so that a stop in between resumes from the previous step.</summary>
    public static void Prepare(string runDirectory, CausalLm policy, optim.Optimizer? optimizer)
    {
        var partial = Path.Combine(runDirectory, Folder) + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Checkpoint.Save(policy, partial);
        if (optimizer is OptimizerHelper helper) helper.save_state_dict(Path.Combine(partial, OptimizerFile));
    }

    /// <summary>Makes the prepared state the resume point: writes its cursor and swaps it in for the previous one.</summary>
    public static void Commit(string runDirectory, int completedStep)
    {
        var final = Path.Combine(runDirectory, Folder);
        var partial = final + ".partial";
        if (!Directory.Exists(partial)) throw new InvalidOperationException($"{partial} does not exist: call Prepare before Commit");
        File.WriteAllText(Path.Combine(partial, CursorFile), JsonSerializer.Serialize(new Cursor(completedStep)));
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(partial, final);
    }

    /// <returns>the last completed step, or null when the folder holds no saved state</returns>
    public static int? CompletedStep(string runDirectory)
    {
        var cursor = Path.Combine(runDirectory, Folder, CursorFile);
        return File.Exists(cursor) ? JsonSerializer.Deserialize<Cursor>(File.ReadAllText(cursor))!.CompletedStep : null;
    }

    public static string WeightsDirectory(string runDirectory) => Path.Combine(runDirectory, Folder);

    public static void RestoreOptimizer(string runDirectory, optim.Optimizer? optimizer)
    {
        var path = Path.Combine(runDirectory, Folder, OptimizerFile);
        if (optimizer is OptimizerHelper helper && File.Exists(path)) helper.load_state_dict(path);
    }
}
