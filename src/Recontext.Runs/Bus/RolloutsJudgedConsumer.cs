using System.Diagnostics;
using MassTransit;
using Recontext.Contracts;
using Recontext.Recontextualizer;

namespace Recontext.Runs.Bus;

/// <summary>Recontextualizer role: applies the run's policy and splices f_train prompts onto the completion tokens.</summary>
public sealed class RolloutsJudgedConsumer(RunSessions sessions) : IConsumer<RolloutsJudged>
{
    public async Task Consume(ConsumeContext<RolloutsJudged> context)
    {
        var m = context.Message;
        if (!sessions.TryGet(m.RunId, out var session)) return;   // a run of another process on a shared broker
        await session.Guard(m.BatchId, async () =>
        {
            var watch = Stopwatch.StartNew();
            var batch = session.Batch(m.BatchId);
            var tasks = batch.Tasks;
            // The judge may run in another process: its verdicts come from the message, not from shared state.
            batch.Completions = m.Completions;
            batch.Scores = m.Scores.Select(Judge.Messaging.CompletionScores.FromContract).ToArray();
            var rollouts = m.Completions.Select((c, i) => new JudgedRollout(tasks[c.Group], c.Group, session.GenerationContext,
                batch.PromptIds[c.Group], c.TokenIds, c.LogProbs, batch.Scores[i])).ToList();
            // Draws derive from (seed, step), so a resumed run makes the same choices as an uninterrupted one.
            var samples = session.Builder.Build(rollouts, new Random(unchecked((int)(session.Seed * 7_777_777 + m.Step))));
            batch.Rollouts = rollouts;
            batch.Samples = samples;
            batch.JudgeSeconds = m.Seconds;
            batch.GenerateSeconds = m.GenerateSeconds;
            batch.RecontextSeconds = watch.Elapsed.TotalSeconds;
            await context.Publish(new TrainingBatchReady { RunId = m.RunId, Step = m.Step, BatchId = m.BatchId, Samples = samples.ToArray(), Seconds = watch.Elapsed.TotalSeconds });
        });
    }
}
