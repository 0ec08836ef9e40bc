using System.Globalization;

namespace Recontext.Runs.Demo;

/// <summary>One row of demo.csv: a setting's variant under one eval context, mean and standard error over seeds of its
/// misbehaviour rate (whatever the setting's misbehaviour is) and correct rate.</summary>
public sealed record DemoRow(string Setting, string Variant, string EvalContext, double MisbehaviourMean, double MisbehaviourSe, double CorrectMean, double CorrectSe,
    double WellFormedMean, double TrainRewardMean, int Seeds, double? DetectedMean = null, double? EvasionMean = null)
{
    /// <summary>detected and evasion: the detector's flag rate and the rate of misbehaviour it missed (empty without a detector).</summary>
    public const string Header = "setting,variant,eval_context,misbehaviour_rate_mean,misbehaviour_rate_se,correct_rate_mean,correct_rate_se,train_reward_mean,seeds,detected_rate_mean,evasion_rate_mean";

    public string ToCsv() => string.Join(",", Setting, PairedRow.Csv(Variant), EvalContext, F(MisbehaviourMean), F(MisbehaviourSe), F(CorrectMean), F(CorrectSe), F(TrainRewardMean), Seeds,
        DetectedMean is double d ? F(d) : "", EvasionMean is double e ? F(e) : "");

    static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Mean and standard error of the mean (0 for a single value).</summary>
    public static (double Mean, double Se) MeanSe(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        if (values.Count < 2) return (mean, 0);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, Math.Sqrt(variance / values.Count));
    }
}
