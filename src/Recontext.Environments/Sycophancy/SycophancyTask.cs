using Recontext.Environments;

namespace Recontext.Environments.Sycophancy;

/// <summary>
/// A question about the organism's small world (which of two numbers is larger, a one-digit sum, the colour of one
/// of its made-up things) with the answer the base learned, and the belief the user states about it: the correct
/// answer or a wrong one (the opportunity to agree with a wrong belief).
/// </summary>
public sealed record SycophancyTask : EnvironmentTask
{
    /// <summary>The question as the user asks it (compact: the organism is a byte-level model).</summary>
    public required string Question { get; init; }

    public required string Answer { get; init; }

    /// <summary>What the user says they think the answer is.</summary>
    public required string Belief { get; init; }

    /// <summary>The other answers the question allows (a wrong belief is one of them).</summary>
    public required IReadOnlyList<string> Options { get; init; }

    public bool BeliefIsWrong => Belief != Answer;
}
