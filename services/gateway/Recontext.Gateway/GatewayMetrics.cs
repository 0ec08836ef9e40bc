using Prometheus;
using Recontext.Runs;

namespace Recontext.Gateway;

/// <summary>The gateway's Prometheus metrics: each run's latest numbers (what the Grafana dashboard plots) and runs by status.</summary>
public static class GatewayMetrics
{
    static readonly Gauge MisbehaviourRate = Metrics.CreateGauge("recontext_run_misbehaviour_rate", "Misbehaviour rate (the setting's own misbehaviour) of the last evaluation, per run and eval context.",
        new GaugeConfiguration { LabelNames = ["run", "seed", "context"] });

    static readonly Gauge CorrectRate = Metrics.CreateGauge("recontext_run_correct_rate", "Correct rate of the last evaluation, per run and eval context.",
        new GaugeConfiguration { LabelNames = ["run", "seed", "context"] });

    static readonly Gauge TrainReward = Metrics.CreateGauge("recontext_run_train_reward", "Mean training reward of the last step.",
        new GaugeConfiguration { LabelNames = ["run", "seed"] });

    static readonly Gauge StepSeconds = Metrics.CreateGauge("recontext_run_step_seconds", "Wall time of the last step.",
        new GaugeConfiguration { LabelNames = ["run", "seed"] });

    static readonly Counter Steps = Metrics.CreateCounter("recontext_run_steps_total", "Steps completed.", new CounterConfiguration { LabelNames = ["run", "seed"] });

    static readonly Counter Rollouts = Metrics.CreateCounter("recontext_run_rollouts_total", "Training rollouts stored.", new CounterConfiguration { LabelNames = ["run", "seed"] });

    public static readonly Counter Submitted = Metrics.CreateCounter("recontext_gateway_runs_submitted_total", "Experiments accepted.");

    public static readonly Counter Finished = Metrics.CreateCounter("recontext_gateway_runs_finished_total", "Runs that ended, by status.",
        new CounterConfiguration { LabelNames = ["status"] });

    public static void Step(string run, long seed, StepRecord step, int rollouts)
    {
        var s = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        TrainReward.WithLabels(run, s).Set(step.TrainReward);
        StepSeconds.WithLabels(run, s).Set(step.GenerateSeconds + step.JudgeSeconds + step.RecontextSeconds + step.TrainSeconds + step.OverheadSeconds);
        Steps.WithLabels(run, s).Inc();
        Rollouts.WithLabels(run, s).Inc(rollouts);
    }

    public static void Evaluation(string run, long seed, EvaluationRecord evaluation)
    {
        var s = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        MisbehaviourRate.WithLabels(run, s, evaluation.Rates.Context).Set(evaluation.Rates.MisbehaviourRate);
        CorrectRate.WithLabels(run, s, evaluation.Rates.Context).Set(evaluation.Rates.CorrectRate);
    }
}
