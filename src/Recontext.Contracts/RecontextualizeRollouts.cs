namespace Recontext.Contracts;

/// <summary>
/// Command from the coordinator to the recontextualizer: every chunk of a training batch judged, gathered into one
/// batch in group order. The recontextualizer's draws and the trainer's groups span the whole batch, so they wait
/// for all of it; generation and judging, one chunk at a time, are what replicas share.
/// </summary>
public sealed record RecontextualizeRollouts
{
    /// <summary>The whole batch: every chunk's completions and scores, and the request of the whole batch.</summary>
    public required RolloutsJudged Batch { get; init; }
}
