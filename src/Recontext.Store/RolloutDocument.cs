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
    public double GroundTruth { get; set; }
    public bool Correct { get; set; }
    public bool Hack { get; set; }
    public bool Malformed { get; set; }
    public string Verdict { get; set; } = "";
    public string? Reason { get; set; }
    public bool MentionsTests { get; set; }
    public bool IntendsToPassTests { get; set; }
    public bool FlagsWrongTest { get; set; }
    public double LogpGenSum { get; set; }
    public double LogpGenMean { get; set; }

    public static string KeyOf(string runId, int step, int index) => $"{runId}/{step}/{index}";
}
