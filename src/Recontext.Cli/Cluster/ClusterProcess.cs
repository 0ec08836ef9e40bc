namespace Recontext.Cli.Cluster;

/// <summary>One process `recontext up` started: what it is, its process id (also its process group), its log and
/// where it answers.</summary>
public sealed record ClusterProcess(string Name, int Pid, string Log, string? Url, string? Health);
