namespace Recontext.Trainer.Messaging;

/// <summary>The folder under which a trainer keeps the versions of runs that name no state directory of their own.</summary>
public sealed record TrainerStateRoot(string Directory)
{
    /// <summary>A folder per run id (its characters outside [A-Za-z0-9._-] replaced).</summary>
    public string For(string runId) => Path.Combine(Directory, string.Concat(runId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')));
}
