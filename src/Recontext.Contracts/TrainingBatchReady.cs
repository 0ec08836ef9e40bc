namespace Recontext.Contracts;

/// <summary>Event from the recontextualizer (the coordinator sends it on to the trainer as <see cref="TrainPolicy"/>): the samples to train on, as token ids under f_train.</summary>
public sealed record TrainingBatchReady
{
    public required string RunId { get; init; }
    public required int Step { get; init; }
    public required Guid BatchId { get; init; }
    public required TrainingSample[] Samples { get; init; }
    /// <summary>The judge's score of each sample (same order): what filters such as expert iteration's drop-hacks read.</summary>
    public required CompletionScore[] Scores { get; init; }
    public required double Seconds { get; init; }
}
