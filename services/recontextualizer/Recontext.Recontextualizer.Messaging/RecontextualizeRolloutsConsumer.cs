using System.Diagnostics;
using MassTransit;
using Recontext.Contracts;
using Recontext.Environments;
using Recontext.Judge.Messaging;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;

namespace Recontext.Recontextualizer.Messaging;

/// <summary>
/// The recontextualizer role: applies the run's policy to a judged batch (every chunk, gathered by the coordinator:
/// <see cref="RecontextualizeRollouts"/>) and splices the f_train prompt's token ids
/// onto each completion's unchanged ids. Stateless: the tasks, the prompts, the policy and the draws' seed come in
/// the message (<see cref="RolloutsJudged.Request"/>), so it runs the same in a run's process and in its own service;
/// the coordinator sends each training batch (never an evaluation batch) to the queue of the one it chose. Tasks of any environment that travels
/// (<see cref="Judge.Settings"/>), in the run model's text format (<see cref="GenerateRollouts.ModelFolder"/>).
/// </summary>
public sealed class RecontextualizeRolloutsConsumer : IConsumer<RecontextualizeRollouts>
{
    public async Task Consume(ConsumeContext<RecontextualizeRollouts> context)
    {
        var m = context.Message.Batch;
        var watch = Stopwatch.StartNew();
        TrainingBatchBuilder builder;
        List<JudgedRollout> rollouts;
        try
        {
            if (m.Request.Evaluation) throw new FormatException("an evaluation batch is never trained on");
            var policy = RecontextPolicyJson.Read(m.Request.Recontext.Policy);
            var environment = JudgeTasks.EnvironmentOf(m.Request.Tasks);   // renders prompts; never scores here
            builder = new TrainingBatchBuilder(policy, environment, ModelText.For(m.Request.ModelFolder));
            var generation = policy.Generation.Resolve(environment);
            var tasks = m.Request.Tasks.Select((t, g) => JudgeTasks.Decode(environment, t, g)).ToArray();
            var prompts = m.Request.Prompts.ToDictionary(p => p.Group);
            if (m.Scores.Length != m.Completions.Length)
                throw new FormatException($"scores: {m.Scores.Length} for {m.Completions.Length} completions");
            rollouts = m.Completions.Select((c, i) =>
            {
                if (c.Group < 0 || c.Group >= tasks.Length || !prompts.TryGetValue(c.Group, out var prompt))
                    throw new FormatException($"completions[{i}]: group {c.Group} has no task and prompt ({tasks.Length} tasks)");
                return new JudgedRollout(tasks[c.Group], c.Group, generation, prompt.PromptIds, c.TokenIds, c.LogProbs, CompletionScores.FromContract(m.Scores[i]));
            }).ToList();
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException)
        {
            RecontextualizerMetrics.Failures.Inc();
            throw new FormatException($"run {m.RunId} step {m.Step} batch {m.BatchId}: {e.Message}", e);
        }

        // The draws derive from the seed the coordinator gave the step, so a resumed run makes the same choices.
        var samples = builder.Build(rollouts, new Random(unchecked((int)m.Request.Recontext.Seed)));
        RecontextualizerMetrics.Batches.Inc();
        int recontextualized = samples.Count(s => s.Recontextualized);
        RecontextualizerMetrics.Samples.WithLabels("true").Inc(recontextualized);
        RecontextualizerMetrics.Samples.WithLabels("false").Inc(samples.Count - recontextualized);
        RecontextualizerMetrics.BatchSeconds.Observe(watch.Elapsed.TotalSeconds);
        await context.Publish(new TrainingBatchReady
        {
            RunId = m.RunId, Step = m.Step, BatchId = m.BatchId, Samples = samples.ToArray(), Scores = m.Scores,
            Seconds = watch.Elapsed.TotalSeconds,
        });
    }
}
