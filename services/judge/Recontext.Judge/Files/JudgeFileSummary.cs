namespace Recontext.Judge.Files;

/// <summary>Totals of one judged file.</summary>
public sealed record JudgeFileSummary(int Rows, int Invalid, double MeanTrainReward, double MisbehaviourRate, double CorrectRate, IReadOnlyDictionary<string, int> Verdicts);
