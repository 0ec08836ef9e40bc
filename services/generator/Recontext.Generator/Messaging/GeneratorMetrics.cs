using Prometheus;

namespace Recontext.Generator.Messaging;

/// <summary>The generator service's Prometheus metrics (served on /metrics by its host).</summary>
public static class GeneratorMetrics
{
    public static readonly Counter Rollouts = Metrics.CreateCounter("recontext_generator_rollouts_total", "Completions sampled.");

    public static readonly Counter Tokens = Metrics.CreateCounter("recontext_generator_tokens_total", "Completion tokens sampled.");

    public static readonly Histogram BatchSeconds = Metrics.CreateHistogram("recontext_generator_batch_seconds", "Time to sample one batch.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });

    public static readonly Counter WeightFetches = Metrics.CreateCounter("recontext_generator_weight_fetches_total", "Policy versions fetched over gRPC.");

    public static readonly Counter WeightBytes = Metrics.CreateCounter("recontext_generator_weight_bytes_total", "Checkpoint bytes fetched over gRPC.");

    public static readonly Histogram WeightFetchSeconds = Metrics.CreateHistogram("recontext_generator_weight_fetch_seconds", "Time to fetch and load one policy version.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 14) });
}
