using System.Diagnostics;
using MassTransit;
using Recontext.Contracts;
using Recontext.Environments;

namespace Recontext.Judge.Messaging;

/// <summary>
/// The judge role: scores every completion of a batch against its group's task, as the task travelled in the message
/// (no run state), and publishes the scores. The same consumer runs in the one-process bus and in the judge's host;
/// the coordinator sends each chunk to the queue of the one it chose.
/// </summary>
public sealed class JudgeRolloutsConsumer : IConsumer<JudgeRollouts>
{
    public async Task Consume(ConsumeContext<JudgeRollouts> context)
    {
        var m = context.Message.Rollouts;
        var watch = Stopwatch.StartNew();
        EnvironmentTask[] tasks;
        EnvironmentVariant variant;
        IEnvironment environment;
        try
        {
            environment = JudgeTasks.EnvironmentOf(m.Request.Tasks, () => JudgeSandbox.Shared);
            tasks = m.Request.Tasks.Select((t, g) => JudgeTasks.Decode(environment, t, g)).ToArray();
            variant = JudgeTasks.DecodeVariant(m.Request.Variant);
            var missing = m.Completions.FirstOrDefault(c => c.Group < 0 || c.Group >= tasks.Length);
            if (missing is not null) throw new FormatException($"completion of group {missing.Group} has no task ({tasks.Length} tasks)");
        }
        catch (FormatException e)
        {
            JudgeMetrics.Failures.Inc();
            throw new FormatException($"run {m.RunId} step {m.Step} batch {m.BatchId}: {e.Message}", e);
        }

        var scores = await Task.WhenAll(m.Completions.Select(async c =>
            (await environment.ScoreAsync(tasks[c.Group], c.Text, variant, Reading(c), context.CancellationToken)).WithMonitorPenalty(m.Request.MonitorPenalty)));
        foreach (var s in scores) JudgeMetrics.Rollouts.WithLabels(environment.Name, JudgeMetrics.Outcome(s)).Inc();
        JudgeMetrics.Batches.WithLabels(environment.Name).Inc();
        JudgeMetrics.BatchSeconds.Observe(watch.Elapsed.TotalSeconds);
        await context.Publish(new RolloutsJudged
        {
            RunId = m.RunId, Step = m.Step, BatchId = m.BatchId, PolicyVersion = m.PolicyVersion, Completions = m.Completions,
            Scores = scores.Select(CompletionScores.ToContract).ToArray(),
            Seconds = watch.Elapsed.TotalSeconds,
            GenerateSeconds = m.Seconds,
            Request = m.Request,
        });
    }

    /// <summary>What the run's detector said about a completion (the generator marks it where the weights are).</summary>
    static DetectorReading? Reading(SampledCompletion c) => c.DetectorScore is double score ? new DetectorReading(score, c.Detected ?? false) : null;
}
