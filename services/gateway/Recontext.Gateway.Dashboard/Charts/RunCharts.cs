using Recontext.Gateway.Dashboard.Catalog;
using Recontext.Runs;

namespace Recontext.Gateway.Dashboard.Charts;

/// <summary>A run's curves over its steps: what the run page draws.</summary>
public static class RunCharts
{
    static readonly (double, double) Fraction = (0, 1);

    public static IReadOnlyList<LineChart> Of(RunDetail run)
    {
        var steps = run.Steps;
        ChartSeries StepSeries(string name, Func<StepRecord, double> value) => new(name, steps.Select(s => ((double)s.Step, value(s))).ToList());
        IReadOnlyList<ChartSeries> ByContext(Func<Runs.Evaluation.ContextRates, double> value) => run.Evaluations.GroupBy(e => e.Rates.Context)
            .Select(g => new ChartSeries($"eval: {g.Key}", g.OrderBy(e => e.Step).Select(e => ((double)e.Step, value(e.Rates))).ToList())).ToList();

        return
        [
            new LineChart("train-reward", "Training reward (the flawed reward the policy is trained on)", "mean train reward per sample",
                [StepSeries("train reward", s => s.TrainReward), StepSeries("ground truth: correct rate", s => s.CorrectRate)]),
            new LineChart("hack-rate", $"Misbehaviour rate under each eval context ({run.Setting}: {run.Misbehaviour.Name})", "misbehaviour rate (fraction of samples)", ByContext(r => r.MisbehaviourRate), Fraction),
            new LineChart("correct-rate", "Correct rate under each eval context", "correct rate (fraction of samples)", ByContext(r => r.CorrectRate), Fraction),
            new LineChart("training-hack-rate", $"Misbehaviour rate of the training samples ({run.Misbehaviour.Name})", "fraction of samples",
                [StepSeries(run.Misbehaviour.Key, s => s.MisbehaviourRate), StepSeries("recontextualized", s => s.RecontextualizedFraction)], Fraction),
            new LineChart("kl", "KL to the reference policy", "KL (nats per token)", [StepSeries("KL", s => s.Kl)]),
            new LineChart("context-gap", "Context gap: log p under f_gen − log p under f_train", "nats per token", [StepSeries("context gap", s => s.ContextGap)]),
            new LineChart("clipped-fraction", "Clipped fraction of the PPO ratio", "fraction of tokens", [StepSeries("clipped", s => s.ClippedFraction)], Fraction),
            new LineChart("timings", "Where each step's time went", "seconds per step",
            [
                StepSeries("generate", s => s.GenerateSeconds), StepSeries("judge", s => s.JudgeSeconds), StepSeries("recontextualize", s => s.RecontextSeconds),
                StepSeries("train", s => s.TrainSeconds), StepSeries("overhead", s => s.OverheadSeconds),
            ]),
        ];
    }
}
