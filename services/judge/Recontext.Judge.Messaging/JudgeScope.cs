using Recontext.Contracts;

namespace Recontext.Judge.Messaging;

/// <summary>
/// Which batches a judge consumer scores. On a shared broker every judge consumer sees every batch: the judge's
/// service takes those marked for it (<see cref="RolloutsGenerated.ForJudgeService"/>), a run's process takes the
/// unmarked batches of the runs it hosts, so each batch is judged once.
/// </summary>
public sealed record JudgeScope(Func<RolloutsGenerated, bool> Accepts)
{
    public static JudgeScope Service { get; } = new(m => m.ForJudgeService);
}
