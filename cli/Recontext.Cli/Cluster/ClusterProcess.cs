namespace Recontext.Cli.Cluster;

/// <summary>One process `recontext up` started: what it is, its process id (also its process group), its log, where
/// it answers, and the command that started it (to start it again).</summary>
public sealed record ClusterProcess(string Name, int Pid, string Log, string? Url, string? Health, IReadOnlyList<string> Command);
