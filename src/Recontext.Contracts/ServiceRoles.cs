namespace Recontext.Contracts;

/// <summary>The roles a run's batches pass through, by the names messages and deployments use.</summary>
public static class ServiceRoles
{
    public const string Generator = "generator";
    public const string Judge = "judge";
    public const string Recontextualizer = "recontextualizer";
    public const string Trainer = "trainer";

    /// <summary>The shared queue a role's service consumes its commands from (replicas compete on it).</summary>
    public static string Queue(string role) => $"recontext-{role}";
}
