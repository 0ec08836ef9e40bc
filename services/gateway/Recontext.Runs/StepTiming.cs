namespace Recontext.Runs;

/// <summary>Where a run's step time went, averaged over steps: the line printed after runs and written to summary.md.</summary>
public static class StepTiming
{
    /// <returns>null when no step ran</returns>
    public static string? Describe(IReadOnlyCollection<StepRecord> steps)
    {
        if (steps.Count == 0) return null;
        double step = steps.Average(s => s.GenerateSeconds + s.JudgeSeconds + s.RecontextSeconds + s.TrainSeconds + s.OverheadSeconds);
        double loop = steps.Average(s => s.RecontextSeconds + s.OverheadSeconds);
        return $"mean step {step:F2} s: generate {steps.Average(s => s.GenerateSeconds):F2}, judge {steps.Average(s => s.JudgeSeconds):F3}, " +
               $"recontextualize {steps.Average(s => s.RecontextSeconds):F3}, train {steps.Average(s => s.TrainSeconds):F2}; " +
               $"loop overhead (recontextualizer, trace store, resume point, bookkeeping) {100 * loop / Math.Max(step, 1e-9):F1} % of step time";
    }
}
