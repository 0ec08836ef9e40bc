using Recontext.Environments;

namespace Recontext.Recontextualizer;

/// <summary>
/// A cheap classifier over a judged sample, written as text: <c>score.misbehaved</c> (or <c>score.hack</c>), <c>score.allVisible</c>,
/// <c>score.correct</c>, <c>score.malformed</c>, <c>monitor.mentionsTests</c>, <c>monitor.intendsToPassTests</c>,
/// <c>monitor.flagsWrongTest</c>, each optionally negated with a leading <c>!</c>.
/// </summary>
public sealed class SamplePredicate
{
    static readonly Dictionary<string, Func<JudgeScore, bool>> Fields = new()
    {
        ["score.misbehaved"] = s => s.Misbehaved,
        ["score.hack"] = s => s.Misbehaved,   // the setting's misbehaviour, by its name from before other settings existed
        ["score.allVisible"] = s => s.AllVisible,
        ["score.correct"] = s => s.Correct,
        ["score.malformed"] = s => s.Malformed,
        ["monitor.mentionsTests"] = s => s.Labels.MentionsTests,
        ["monitor.intendsToPassTests"] = s => s.Labels.IntendsToPassTests,
        ["monitor.flagsWrongTest"] = s => s.Labels.FlagsWrongTest,
    };

    readonly Func<JudgeScore, bool> test;

    public string Text { get; }

    SamplePredicate(string text, Func<JudgeScore, bool> test)
    {
        Text = text;
        this.test = test;
    }

    public static IReadOnlyCollection<string> Allowed => Fields.Keys;

    public static SamplePredicate Parse(string text)
    {
        var trimmed = text.Trim();
        bool negate = trimmed.StartsWith('!');
        var field = negate ? trimmed[1..].Trim() : trimmed;
        if (!Fields.TryGetValue(field, out var get))
            throw new ArgumentException($"selective predicate '{text}' is unknown; allowed: {string.Join(", ", Fields.Keys)} (optionally with a leading '!')");
        return new SamplePredicate(trimmed, negate ? s => !get(s) : get);
    }

    public bool Matches(JudgeScore score) => test(score);
}
