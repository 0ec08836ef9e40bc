namespace Recontext.Contracts;

/// <summary>Command to the generator: sample <see cref="SamplesPerPrompt"/> completions of every prompt. A step's
/// batch may travel as several chunks of prompt groups (<see cref="Chunk"/> of <see cref="Chunks"/>, one message each)
/// so that generator replicas share it; the coordinator gathers the judged chunks back into one batch.</summary>
public sealed record GenerateRollouts
{
    public required string RunId { get; init; }
    public required int Step { get; init; }
    public required Guid BatchId { get; init; }
    public required int PolicyVersion { get; init; }
    public required PromptForGeneration[] Prompts { get; init; }
    public required int SamplesPerPrompt { get; init; }
    public required double Temperature { get; init; }
    public required int MaxNewTokens { get; init; }
    /// <summary>The seed of this chunk's sampling, derived from (run, step, chunk): the samples do not depend on which
    /// replica draws them, or how many there are.</summary>
    public required long Seed { get; init; }

    /// <summary>Which chunk of the batch this is (0-based); its <see cref="Prompts"/> are that chunk's groups.</summary>
    public int Chunk { get; init; }

    /// <summary>How many chunks the batch was split into (1: the whole batch in this message).</summary>
    public int Chunks { get; init; } = 1;

    /// <summary>Every group's task of the whole batch (indexed by group), carried on to the judge with the completions.</summary>
    public required JudgeTask[] Tasks { get; init; }

    /// <summary>The environment variant the prompts show ("loophole" or "no-loophole"): the judge scores against it.</summary>
    public required string Variant { get; init; }

    /// <summary>Where a generator service fetches policy version <see cref="PolicyVersion"/> it does not hold (the
    /// run's PolicyWeights gRPC server); null when the generator shares the run's process and its weights.</summary>
    public string? WeightsAddress { get; init; }

    /// <summary>The Hugging Face model folder whose tokenizer and chat format the run's prompts and completions use
    /// (<c>ModelText</c>); null for the organism's byte tokenizer. A path every role can read, like the start checkpoint.</summary>
    public string? ModelFolder { get; init; }

    /// <summary>The dtype a generator service loads the policy in (auto, float32, bfloat16, float16), resolved for its
    /// own device as the trainer resolves it for its: the run's <c>computeDtype</c>, float32 for full fine-tuning.</summary>
    public string ComputeDtype { get; init; } = "float32";

    /// <summary>The run's detector (a probe on the sampling policy's activations); null when the run has none.</summary>
    public DetectorSpec? Detector { get; init; }

    /// <summary>Monitor as reward: what the judge takes off the training reward of a completion whose reasoning its monitor
    /// flags as stating the intent to misbehave (<see cref="CompletionScore.MonitorPenalty"/>); 0: no penalty.</summary>
    public double MonitorPenalty { get; init; }

    /// <summary>true for an evaluation batch: judged, never trained on (the recontextualizer leaves it alone).</summary>
    public bool Evaluation { get; init; }
    /// <summary>How the recontextualizer builds the training samples of this batch.</summary>
    public required RecontextRequest Recontext { get; init; }
}
