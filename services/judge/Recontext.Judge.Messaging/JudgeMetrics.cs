using Prometheus;

namespace Recontext.Judge.Messaging;

/// <summary>The judge's Prometheus metrics (served on /metrics by the judge's host).</summary>
public static class JudgeMetrics
{
    public static readonly Counter Rollouts = Metrics.CreateCounter("recontext_judge_rollouts_total",
        "Completions scored, by environment and outcome (tampered, hack, correct, other, malformed).", "environment", "outcome");

    public static readonly Counter Batches = Metrics.CreateCounter("recontext_judge_batches_total", "Batches of completions scored.", "environment");

    public static readonly Counter Failures = Metrics.CreateCounter("recontext_judge_failures_total", "Batches the judge could not score (invalid tasks or variant).");

    public static readonly Histogram BatchSeconds = Metrics.CreateHistogram("recontext_judge_batch_seconds", "Time to score one batch.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });

    public static string Outcome(Environments.JudgeScore score) =>
        score.Malformed ? "malformed" : score.Verdict == Environments.Verdict.Tampered ? "tampered" : score.Misbehaved ? "hack" : score.Correct ? "correct" : "other";
}
