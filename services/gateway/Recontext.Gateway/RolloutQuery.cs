using System.Globalization;
using Recontext.Store;

namespace Recontext.Gateway;

/// <summary>
/// Filters and paging of a run's rollouts, from a query string (<c>?step=3&amp;hack=true&amp;label=monitor.intendsToPassTests&amp;page=2</c>;
/// <c>?evalContext=neutral</c> or <c>?kind=eval</c> for the evaluations' samples instead of the training rollouts),
/// validated with errors that name the parameter.
/// </summary>
public sealed record RolloutQuery
{
    public const int MaxPageSize = 500;

    static readonly Dictionary<string, Func<RolloutDocument, bool>> Labels = new()
    {
        ["monitor.mentionsTests"] = r => r.MentionsTests,
        ["monitor.intendsToPassTests"] = r => r.IntendsToPassTests,
        ["monitor.flagsWrongTest"] = r => r.FlagsWrongTest,
    };

    /// <summary>The monitor labels a <c>label</c> filter accepts.</summary>
    public static IReadOnlyList<string> LabelNames => [.. Labels.Keys];

    static readonly string[] Known = ["seed", "step", "kind", "evalContext", "misbehaved", "hack", "correct", "context", "label", "page", "pageSize"];

    public long? Seed { get; init; }
    public int? Step { get; init; }
    /// <summary>Evaluation samples (<c>kind=eval</c>) instead of training rollouts (the default).</summary>
    public bool Evaluation { get; init; }
    /// <summary>Evaluation samples under this eval context (implies <see cref="Evaluation"/>).</summary>
    public string? EvalContext { get; init; }
    public bool? Misbehaved { get; init; }
    public bool? Correct { get; init; }
    /// <summary>Rollouts whose generation or training context has this name.</summary>
    public string? Context { get; init; }
    /// <summary>A monitor label that must be set (<c>monitor.intendsToPassTests</c> ...).</summary>
    public string? Label { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;

    /// <exception cref="FormatException">a parameter is unknown or malformed (the message names it)</exception>
    public static RolloutQuery Parse(IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        var query = new RolloutQuery();
        foreach (var (name, raw) in parameters)
        {
            var value = raw ?? "";
            query = name switch
            {
                "seed" => query with { Seed = Number(name, value, long.MinValue, long.MaxValue) },
                "step" => query with { Step = (int)Number(name, value, 0, int.MaxValue) },
                "kind" => query with
                {
                    Evaluation = value switch
                    {
                        RolloutDocument.TrainKind => false,
                        RolloutDocument.EvalKind => true,
                        _ => throw new FormatException($"kind: '{value}' is unknown; allowed: {RolloutDocument.TrainKind} (training rollouts), {RolloutDocument.EvalKind} (evaluation samples)"),
                    },
                },
                "evalContext" => query with { EvalContext = value.Length is > 0 and <= 200 ? value : throw new FormatException("evalContext: give an eval context's name of 1 to 200 characters") },
                "misbehaved" or "hack" => query with { Misbehaved = Flag(name, value) },   // "hack": the name before settings other than test-case hacking existed
                "correct" => query with { Correct = Flag(name, value) },
                "context" => query with { Context = value.Length is > 0 and <= 200 ? value : throw new FormatException("context: give a context name of 1 to 200 characters") },
                "label" => query with
                {
                    Label = Labels.ContainsKey(value) ? value : throw new FormatException($"label: '{value}' is unknown; allowed: {string.Join(", ", Labels.Keys)}"),
                },
                "page" => query with { Page = (int)Number(name, value, 1, int.MaxValue) },
                "pageSize" => query with { PageSize = (int)Number(name, value, 1, MaxPageSize) },
                _ => throw new FormatException($"{name}: unknown filter; allowed: {string.Join(", ", Known)}"),
            };
        }
        if (query.EvalContext is not null && parameters.Any(p => p.Key == "kind" && p.Value == RolloutDocument.TrainKind))
            throw new FormatException("evalContext: only evaluation samples have an eval context; drop kind=train");
        return query.EvalContext is null ? query : query with { Evaluation = true };
    }

    /// <summary>The page of a run's traces that this query asks for, and how many match in all.</summary>
    public (IReadOnlyList<RolloutDocument> Page, int Total) Read(IRunStore store, string traceId)
    {
        var matching = Apply(store.Rollouts(traceId, Step, Evaluation)).ToList();
        return (matching.Skip((Page - 1) * PageSize).Take(PageSize).ToList(), matching.Count);
    }

    /// <summary>The rollouts that pass every filter but the step and the kind (the store applies those).</summary>
    public IEnumerable<RolloutDocument> Apply(IEnumerable<RolloutDocument> rollouts) => rollouts.Where(r =>
        (EvalContext is null || r.EvalContext == EvalContext) && (Misbehaved is null || r.Misbehaved == Misbehaved) && (Correct is null || r.Correct == Correct)
        && (Context is null || r.GenerationContext == Context || r.TrainingContext == Context)
        && (Label is null || Labels[Label](r)));

    static long Number(string name, string value, long min, long max) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n : throw new FormatException($"{name}: must be an integer from {min} to {max}, got '{value}'");

    static bool Flag(string name, string value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => throw new FormatException($"{name}: must be true or false, got '{value}'"),
    };
}
