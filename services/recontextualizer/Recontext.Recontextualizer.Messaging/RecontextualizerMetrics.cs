using Prometheus;

namespace Recontext.Recontextualizer.Messaging;

/// <summary>The recontextualizer's Prometheus metrics (served on /metrics by its host).</summary>
public static class RecontextualizerMetrics
{
    public static readonly Counter Batches = Metrics.CreateCounter("recontext_recontextualizer_batches_total", "Judged batches turned into training batches.");

    public static readonly Counter Samples = Metrics.CreateCounter("recontext_recontextualizer_samples_total", "Training samples built, by whether f_train differs from f_gen.",
        new CounterConfiguration { LabelNames = ["recontextualized"] });

    public static readonly Counter Failures = Metrics.CreateCounter("recontext_recontextualizer_failures_total", "Batches refused (an invalid task or policy).");

    public static readonly Histogram BatchSeconds = Metrics.CreateHistogram("recontext_recontextualizer_batch_seconds", "Time to build one training batch.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });
}
