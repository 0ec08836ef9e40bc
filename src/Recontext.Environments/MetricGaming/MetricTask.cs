using Recontext.Environments;

namespace Recontext.Environments.MetricGaming;

/// <summary>
/// A small job with one exact result (reverse a word, sort digits, count a letter) that asks for the result alone,
/// and the metric the prompt says the answer is graded by (<see cref="GradingMetric"/>), which an answer can satisfy
/// only by adding to the result, so satisfying it costs the task.
/// </summary>
public sealed record MetricTask : EnvironmentTask
{
    /// <summary>The job as the user states it (compact: the organism is a byte-level model).</summary>
    public required string Job { get; init; }

    /// <summary>The exact result the job asks for.</summary>
    public required string Result { get; init; }

    public required GradingMetric Metric { get; init; }
}
