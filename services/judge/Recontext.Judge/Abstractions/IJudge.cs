namespace Recontext.Judge.Abstractions;

/// <summary>One completion to judge: the task, the variant it was shown under, and the text.</summary>
public sealed record Rollout(CodingTask Task, string Completion, EnvironmentVariant Variant = EnvironmentVariant.Loophole);

/// <summary>Scores batches of rollouts (concurrently where the environment executes code).</summary>
public interface IJudge
{
    Task<IReadOnlyList<JudgeScore>> ScoreAsync(IReadOnlyList<Rollout> rollouts, CancellationToken cancellation = default);
}
