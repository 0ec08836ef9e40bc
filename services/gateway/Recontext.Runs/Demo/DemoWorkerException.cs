namespace Recontext.Runs.Demo;

/// <summary>A demo arm's worker process kept failing; the message names the arm, the exit code and the log's tail.</summary>
public sealed class DemoWorkerException(string message) : Exception(message);
