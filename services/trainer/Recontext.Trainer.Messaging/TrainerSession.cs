using System.Collections.Concurrent;
using System.Diagnostics;
using Recontext.Contracts;
using Recontext.Model;
using Recontext.Trainer.Algorithms;

namespace Recontext.Trainer.Messaging;

/// <summary>
/// The trainer's side of one run: the update it applies to a batch, applied once per batch id. A redelivered
/// <see cref="TrainingBatchReady"/> (the broker's at-least-once delivery, a consumer retried after a fault) gets the
/// first delivery's answer again and never trains twice.
/// </summary>
/// <param name="train">one update on the torch thread from the batch (its samples under f_train and the judge's score
/// of each), after which policy version <c>batch.Step</c> must be saved</param>
public sealed class TrainerSession(string runId, Func<TrainingBatchReady, UpdateMetrics> train)
{
    readonly ConcurrentDictionary<Guid, Lazy<Task<PolicyUpdated>>> answers = new();

    public string RunId { get; } = runId;

    /// <summary>Batches trained so far (redeliveries not counted).</summary>
    public int Updates => answers.Count;

    public async Task<PolicyUpdated> TrainOnceAsync(TrainingBatchReady batch)
    {
        var answer = answers.GetOrAdd(batch.BatchId, _ => new Lazy<Task<PolicyUpdated>>(() => TrainAsync(batch)));
        try
        {
            return await answer.Value;
        }
        catch
        {
            // A failed update is not an answer: the bus's retry of this batch trains again.
            answers.TryRemove(KeyValuePair.Create(batch.BatchId, answer));
            throw;
        }
    }

    async Task<PolicyUpdated> TrainAsync(TrainingBatchReady batch)
    {
        if (batch.Scores.Length != batch.Samples.Length)
            throw new FormatException($"run {batch.RunId} step {batch.Step}: {batch.Scores.Length} scores for {batch.Samples.Length} samples");
        var watch = Stopwatch.StartNew();
        var metrics = await TorchThread.Default.Run(() => train(batch));
        TrainerMetrics.Updates.Inc();
        TrainerMetrics.Samples.Inc(batch.Samples.Length);
        TrainerMetrics.UpdateSeconds.Observe(watch.Elapsed.TotalSeconds);
        TrainerMetrics.Loss.Set(metrics.Loss);
        TrainerMetrics.Kl.Set(metrics.Kl);
        TrainerMetrics.ContextGap.Set(metrics.ContextGap);
        TrainerMetrics.ClippedFraction.Set(metrics.ClippedFraction);
        return new PolicyUpdated
        {
            RunId = batch.RunId, Step = batch.Step, BatchId = batch.BatchId, Version = batch.Step,
            Loss = metrics.Loss, Kl = metrics.Kl, ClippedFraction = metrics.ClippedFraction, ContextGap = metrics.ContextGap,
            TrainingLogpSums = metrics.TrainingLogpSums,
            Seconds = watch.Elapsed.TotalSeconds,
        };
    }
}
