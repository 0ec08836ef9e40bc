namespace Recontext.Contracts;

/// <summary>
/// Event from the coordinator: every chunk of a training batch judged, gathered into one batch in group order (the
/// recontextualizer's input). The recontextualizer's draws and the trainer's groups span the whole batch, so they wait
/// for all of it; generation and judging, one chunk at a time, are what replicas share.
/// </summary>
public sealed record BatchJudged
{
    /// <summary>The whole batch: every chunk's completions and scores, and the request of the whole batch.</summary>
    public required RolloutsJudged Batch { get; init; }
}
