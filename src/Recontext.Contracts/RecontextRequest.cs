namespace Recontext.Contracts;

/// <summary>
/// What the recontextualizer needs to turn a judged batch into training samples, carried with the batch so that the
/// role holds no run state: the run's recontextualization policy (its JSON form, as the run's config writes it) and
/// the seed of the step's draws (which samples a fraction-mode policy recontextualizes).
/// </summary>
public sealed record RecontextRequest
{
    public required string Policy { get; init; }
    public required long Seed { get; init; }
}
