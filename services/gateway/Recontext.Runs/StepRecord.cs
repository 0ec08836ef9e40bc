namespace Recontext.Runs;

/// <summary>One row of metrics.csv: what a training step sampled, scored and learned, and where its time went
/// (overhead = everything but generation, judging, recontextualization and training: storing rollouts, saving the
/// resume point, bookkeeping; evaluation is not part of a step). TamperedRate: completions the judge called tampered
/// (they handed back something other than plain data for a test to compare), counted next to hacks; the last column,
/// so files written before it existed still read.</summary>
public sealed record StepRecord(
    int Step,
    double TrainReward,
    double MisbehaviourRate,
    double CorrectRate,
    double WellFormedRate,
    double RecontextualizedFraction,
    float Loss,
    float Kl,
    float ClippedFraction,
    float ContextGap,
    double GenerateSeconds,
    double JudgeSeconds,
    double RecontextSeconds,
    double TrainSeconds,
    double OverheadSeconds,
    double TamperedRate = 0)
{
    public const string Header = "step,train_reward,misbehaviour_rate,correct_rate,well_formed_rate,recontextualized_fraction,loss,kl,clipped_fraction,context_gap,generate_s,judge_s,recontext_s,train_s,overhead_s,tampered_rate";

    public string ToCsv() => string.Join(",", Step, F(TrainReward), F(MisbehaviourRate), F(CorrectRate), F(WellFormedRate), F(RecontextualizedFraction),
        F(Loss), F(Kl), F(ClippedFraction), F(ContextGap), F(GenerateSeconds), F(JudgeSeconds), F(RecontextSeconds), F(TrainSeconds), F(OverheadSeconds), F(TamperedRate));

    static string F(double v) => v.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    public static StepRecord Parse(string line)
    {
        var f = line.Split(',');
        double D(int i) => double.Parse(f[i], System.Globalization.CultureInfo.InvariantCulture);
        return new StepRecord(int.Parse(f[0]), D(1), D(2), D(3), D(4), D(5), (float)D(6), (float)D(7), (float)D(8), (float)D(9), D(10), D(11), D(12), D(13), D(14), f.Length > 15 ? D(15) : 0);
    }
}
