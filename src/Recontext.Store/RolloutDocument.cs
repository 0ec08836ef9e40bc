namespace Recontext.Store;

/// <summary>
/// One sampled completion as stored: both contexts, the tokens, the text, the judge's scores and monitor labels,
/// a summary of its sampling log-probs, the policy version and step. The id is natural
/// (<c>run/step/index</c>), so writing the same rollout twice never duplicates it.
/// </summary>
public sealed class RolloutDocument
{
    public string Id { get; set; } = "";
    public string RunId { get; set; } = "";
    /// <summary><see cref="TrainKind"/> (sampled for training) or <see cref="EvalKind"/> (sampled by an evaluation,
    /// never trained on); documents written before evaluations were kept read as training rollouts.</summary>
    public string Kind { get; set; } = TrainKind;
    /// <summary>The eval context an evaluation sample answered; null for a training rollout.</summary>
    public string? EvalContext { get; set; }
    public int Step { get; set; }
    public int Index { get; set; }
    public int PolicyVersion { get; set; }
    public string TaskId { get; set; } = "";
    public int Group { get; set; }
    public string GenerationContext { get; set; } = "";
    public string TrainingContext { get; set; } = "";
    public bool Recontextualized { get; set; }
    public int[] GenerationPromptIds { get; set; } = [];
    public int[] TrainingPromptIds { get; set; } = [];
    public int[] CompletionIds { get; set; } = [];
    public string Text { get; set; } = "";
    public double TrainReward { get; set; }
    /// <summary>What monitor as reward took off <see cref="TrainReward"/> for training (0 without it, and in traces written before it).</summary>
    public double MonitorPenalty { get; set; }
    public double GroundTruth { get; set; }
    public bool Correct { get; set; }
    /// <summary>The setting's misbehaviour flag (special-cased a wrong test, agreed with a wrong belief ...). Stored
    /// under its first name, "hack", so traces written before settings other than test-case hacking still read.</summary>
    [LiteDB.BsonField("Hack"), MongoDB.Bson.Serialization.Attributes.BsonElement("hack")]
    public bool Misbehaved { get; set; }
    public bool Malformed { get; set; }
    public string Verdict { get; set; } = "";
    public string? Reason { get; set; }
    public bool MentionsTests { get; set; }
    public bool IntendsToPassTests { get; set; }
    public bool FlagsWrongTest { get; set; }
    /// <summary>The run's detector's score and verdict (a probe on the sampling policy's activations); null without one.</summary>
    public double? DetectorScore { get; set; }
    public bool? Detected { get; set; }
    public double LogpGenSum { get; set; }
    public double LogpGenMean { get; set; }
    /// <summary>The completion's log-prob under f_train by the policy that sampled it (sum over its tokens); null when
    /// the algorithm did not score it (only GRPO does). LogpGenSum − this, per token, is the rollout's context gap.</summary>
    public double? LogpTrainSum { get; set; }

    public const string TrainKind = "train", EvalKind = "eval";

    public static string KeyOf(string runId, int step, int index) => $"{runId}/{step}/{index}";

    /// <summary>An evaluation sample's key: apart from the training rollouts of the same step.</summary>
    public static string EvalKeyOf(string runId, int step, string context, int index) => $"{runId}/eval/{step}/{context}/{index}";
}
