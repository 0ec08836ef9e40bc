namespace Recontext.Model.Checkpoints;

/// <summary>A checkpoint's tensors do not match the model: a key is missing, unexpected or mis-shaped.</summary>
public sealed class CheckpointMismatchException(string message, string key) : Exception(message)
{
    /// <summary>The first offending state-dict key.</summary>
    public string Key { get; } = key;
}
