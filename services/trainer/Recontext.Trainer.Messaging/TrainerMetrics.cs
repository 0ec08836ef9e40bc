using Prometheus;

namespace Recontext.Trainer.Messaging;

/// <summary>The trainer's Prometheus metrics.</summary>
public static class TrainerMetrics
{
    public static readonly Counter Updates = Metrics.CreateCounter("recontext_trainer_updates_total", "Policy updates (one per training batch; redeliveries not counted).");

    public static readonly Counter Samples = Metrics.CreateCounter("recontext_trainer_samples_total", "Samples trained on.");

    public static readonly Histogram UpdateSeconds = Metrics.CreateHistogram("recontext_trainer_update_seconds", "Time of one policy update.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });

    public static readonly Gauge Loss = Metrics.CreateGauge("recontext_trainer_loss", "Loss of the last update.");

    public static readonly Gauge Kl = Metrics.CreateGauge("recontext_trainer_kl", "Mean KL to the reference in the last update.");

    public static readonly Gauge ContextGap = Metrics.CreateGauge("recontext_trainer_context_gap", "Mean per-token logpGen - logpTrain in the last update.");

    public static readonly Gauge ClippedFraction = Metrics.CreateGauge("recontext_trainer_clipped_fraction", "Fraction of tokens whose ratio was clipped in the last update.");
}
