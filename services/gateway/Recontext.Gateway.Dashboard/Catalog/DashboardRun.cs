using Recontext.Runs.Evaluation;
using Recontext.Store;

namespace Recontext.Gateway.Dashboard.Catalog;

/// <summary>One run (one seed of an experiment) as the dashboard lists it.</summary>
public sealed record DashboardRun
{
    /// <summary>Its stable address: the run's folder relative to the runs folder (<c>demo-1/runs/good-to-bad/seed-2</c>;
    /// a gateway run's seed is <c>ID/seed-S</c>, its id in the trace store).</summary>
    public required string Key { get; init; }

    /// <summary>The experiment it belongs to: a gateway run's id, a demo's or sweep's folder, a `recontext run` folder.</summary>
    public required string Experiment { get; init; }

    public required string Name { get; init; }
    public required long Seed { get; init; }

    /// <summary>The pre-training seed of the organism base it started from (a demo on several bases: `demo --bases`);
    /// 1, the default base's, where the config does not say.</summary>
    public long BaseSeed { get; init; } = 1;

    public required RunStatus Status { get; init; }

    /// <summary>Steps completed so far.</summary>
    public required int Step { get; init; }

    public required int Steps { get; init; }
    public required RunVariant Variant { get; init; }
    public DateTime? StartedUtc { get; init; }
    public DateTime? FinishedUtc { get; init; }
    public string? Error { get; init; }

    /// <summary>The last evaluation (one row per eval context), or none before the first.</summary>
    public IReadOnlyList<ContextRates> LastEvaluation { get; init; } = [];

    public int? LastEvaluatedStep { get; init; }

}
