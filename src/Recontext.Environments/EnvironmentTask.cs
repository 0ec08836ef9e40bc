namespace Recontext.Environments;

/// <summary>
/// One item of a setting (a coding problem, a question with the user's belief, a task with its metric). The
/// setting that made it knows its richer type; everything outside the setting sees only these fields and the JSON row
/// the setting writes for it (<see cref="IEnvironment.EncodeTask"/>).
/// </summary>
public abstract record EnvironmentTask
{
    public required string Id { get; init; }

    /// <summary>Name of the setting that made the task (toy-code, sycophancy, ...).</summary>
    public required string Environment { get; init; }

    /// <summary>Template family or a short label; used for splits and reports.</summary>
    public string Family { get; init; } = "";

    /// <summary>The task as a setting expects it; a task of another setting is a bug in the caller, named here.</summary>
    public T As<T>() where T : EnvironmentTask =>
        this as T ?? throw new ArgumentException($"task {Id} of setting '{Environment}' is a {GetType().Name}, not a {typeof(T).Name}");
}
