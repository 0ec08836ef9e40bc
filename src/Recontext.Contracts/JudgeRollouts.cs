namespace Recontext.Contracts;

/// <summary>Command from the coordinator to the judge: score one generated chunk (answered by <see cref="RolloutsJudged"/>).
/// The coordinator forwards each <see cref="RolloutsGenerated"/> it hears to the judge's queue, so that every role
/// hears only the commands meant for it and every event goes to the coordinator alone.</summary>
public sealed record JudgeRollouts
{
    public required RolloutsGenerated Rollouts { get; init; }
}
