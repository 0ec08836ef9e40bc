using Recontext.Runs;

namespace Recontext.Gateway.Dashboard.Catalog;

/// <summary>Everything the run page shows: the run, its resolved config and experiment file, every step's metrics and
/// every evaluation.</summary>
/// <param name="ConfigJson">the resolved config (run-config.json), or null when only the store knows the run</param>
/// <param name="ExperimentYaml">the experiment as written (the gateway's submission, or experiment.yaml beside the run)</param>
public sealed record RunDetail(DashboardRun Run, string? ConfigJson, string? ExperimentYaml, IReadOnlyList<StepRecord> Steps, IReadOnlyList<EvaluationRecord> Evaluations);
