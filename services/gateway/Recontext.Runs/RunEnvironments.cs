using Recontext.Environments;
using Recontext.Environments.Mbpp;
using Recontext.Environments.ToyCode;

namespace Recontext.Runs;

/// <summary>The environment a run draws its tasks from and renders its prompts with. The coordinator never scores:
/// the judge role does, from the tasks as they travel in the messages.</summary>
public static class RunEnvironments
{
    /// <exception cref="ArgumentException">mbpp rows missing or invalid (the message names the field and line)</exception>
    public static IEnvironment For(RunConfig config) => Settings.Create(config.Environment, new SettingOptions
    {
        ToyCode = config.ToyCode,
        Lying = config.Lying,
        MbppRows = Settings.PythonSettings.Contains(config.Environment) ? LoadRows(config.Mbpp) : [],
    });

    /// <summary>Tasks whose prompts bound the run's longest prompt: every mbpp row; a sample of each toy split (its
    /// tasks have a bounded length).</summary>
    public static IEnumerable<EnvironmentTask> PromptBoundTasks(IEnvironment environment, long seed) => environment is MbppEnvironment mbpp
        ? mbpp.AllTasks()
        : environment.SampleTasks(TaskSplit.Train, 64, seed).Concat(environment.SampleTasks(TaskSplit.Eval, 64, seed));

    static IReadOnlyList<MbppRow> LoadRows(MbppOptions options)
    {
        if (!File.Exists(options.Rows)) throw new ArgumentException($"mbpp.rows: no file at {options.Rows}");
        try
        {
            var rows = MbppRow.Load(options.Rows);
            return rows.Count >= 2 ? rows : throw new ArgumentException($"mbpp.rows: {options.Rows} holds {rows.Count} rows; train and eval need at least 2");
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"mbpp.rows: {e.Message}");
        }
    }
}
