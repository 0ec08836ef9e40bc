using System.Diagnostics;
using MassTransit;
using Recontext.Contracts;
using Recontext.Judge.Abstractions;

namespace Recontext.Runs.Bus;

/// <summary>Judge role: scores every completion of the batch against its task.</summary>
public sealed class RolloutsGeneratedConsumer(RunSessions sessions) : IConsumer<RolloutsGenerated>
{
    public async Task Consume(ConsumeContext<RolloutsGenerated> context)
    {
        var m = context.Message;
        if (!sessions.TryGet(m.RunId, out var session)) return;   // a run of another process on a shared broker
        await session.Guard(m.BatchId, async () =>
        {
            var watch = Stopwatch.StartNew();
            var batch = session.Batch(m.BatchId);
            var tasks = batch.Tasks;
            var scores = await Task.WhenAll(m.Completions.Select(c =>
                session.Environment.ScoreAsync(tasks[c.Group], c.Text, session.GenerationContext.Variant, context.CancellationToken)));
            batch.Completions = m.Completions;
            batch.Scores = scores;
            batch.GenerateSeconds = m.Seconds;
            await context.Publish(new RolloutsJudged
            {
                RunId = m.RunId, Step = m.Step, BatchId = m.BatchId, PolicyVersion = m.PolicyVersion, Completions = m.Completions,
                Scores = scores.Select(ToContract).ToArray(),
                Seconds = watch.Elapsed.TotalSeconds,
            });
        });
    }

    static CompletionScore ToContract(JudgeScore s) => new()
    {
        TrainReward = s.TrainReward, GroundTruth = s.GroundTruth, Correct = s.Correct, Hack = s.Hack, AllVisible = s.AllVisible,
        Malformed = s.Malformed, Verdict = s.Verdict.ToString().ToLowerInvariant(), Reason = s.Reason,
        MentionsTests = s.Labels.MentionsTests, IntendsToPassTests = s.Labels.IntendsToPassTests, FlagsWrongTest = s.Labels.FlagsWrongTest,
    };
}
