namespace Recontext.Sandbox;

/// <summary>The sandbox cannot be set up here. Code is never run unsandboxed instead (fail closed).</summary>
public sealed class SandboxUnavailableException(string message) : Exception(message);
