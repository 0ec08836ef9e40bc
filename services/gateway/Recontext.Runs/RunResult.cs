namespace Recontext.Runs;

/// <summary>What a finished run produced (also written to its results folder).</summary>
public sealed record RunResult(RunConfig Config, string OutputDirectory, IReadOnlyList<StepRecord> Steps, IReadOnlyList<EvaluationRecord> Evaluations)
{
    /// <summary>How the trainer held the policy: its compute dtype and device ("float32 on cpu").</summary>
    public string? TrainerPolicy { get; init; }

    /// <summary>The last evaluation of each eval context.</summary>
    public IReadOnlyList<EvaluationRecord> Final => Evaluations.GroupBy(e => e.Rates.Context).Select(g => g.MaxBy(e => e.Step)!).ToList();
}
