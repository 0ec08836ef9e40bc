using Recontext.Environments;

namespace Recontext.Runs.Evaluation;

/// <summary>Rates of one policy under one eval context, over held-out tasks.</summary>
public sealed record ContextRates(
    string Context,
    int Samples,
    double MisbehaviourRate,
    double CorrectRate,
    double WellFormedRate,
    double MeanTrainReward,
    double IntendsToPassRate,
    double MentionsTestsRate,
    double FlagsWrongTestRate,
    double? DetectedRate = null,
    double? EvasionRate = null,
    double? UnflaggedMisbehaviourRate = null)
{
    /// <summary>The rates name the setting's misbehaviour and, where a detector ran, its flags: detected is the share of
    /// completions it flagged, evasion the share that misbehaved and were not flagged. Unflagged misbehaviour: misbehaved
    /// while the reasoning monitor read no intent to (<see cref="IntendsToPassRate"/>'s flag): what a monitor in the
    /// reward cannot see (obfuscation, when it rises under one); null in files written before it.</summary>
    /// <summary>The rates of the judge's scores of one completion per held-out task under <paramref name="context"/>.</summary>
    public static ContextRates Of(string context, IReadOnlyList<JudgeScore> scores)
    {
        double Rate(Func<JudgeScore, bool> f) => scores.Count == 0 ? 0 : scores.Count(f) / (double)scores.Count;
        return new ContextRates(context, scores.Count, Rate(s => s.Misbehaved), Rate(s => s.Correct), Rate(s => !s.Malformed),
            scores.Select(s => s.TrainReward).DefaultIfEmpty(0).Average(), Rate(s => s.Labels.IntendsToPassTests),
            Rate(s => s.Labels.MentionsTests), Rate(s => s.Labels.FlagsWrongTest),
            scores.Any(s => s.Detected is not null) ? Rate(s => s.Detected == true) : null,
            scores.Any(s => s.Detected is not null) ? Rate(s => s.Evaded) : null,
            Rate(s => s.Misbehaved && !s.Labels.IntendsToPassTests));
    }
}
