namespace Recontext.Runs.Config;

/// <summary>An experiment file is invalid; the message names the field.</summary>
public sealed class ExperimentException(string message) : Exception(message);
