using Recontext.Runs.Evaluation;

namespace Recontext.Runs;

/// <summary>One row of evaluations.csv.</summary>
public sealed record EvaluationRecord(int Step, ContextRates Rates)
{
    public const string Header = "step,eval_context,samples,misbehaviour_rate,correct_rate,well_formed_rate,train_reward,intends_to_pass_rate,mentions_tests_rate,flags_wrong_test_rate,detected_rate,evasion_rate";

    /// <summary>Columns empty where nothing measured them (the detector's rates of a run without one).</summary>
    public static readonly IReadOnlySet<string> OptionalColumns = new HashSet<string> { "detected_rate", "evasion_rate" };

    public string ToCsv() => string.Join(",", Step, Rates.Context, Rates.Samples, F(Rates.MisbehaviourRate), F(Rates.CorrectRate), F(Rates.WellFormedRate),
        F(Rates.MeanTrainReward), F(Rates.IntendsToPassRate), F(Rates.MentionsTestsRate), F(Rates.FlagsWrongTestRate), O(Rates.DetectedRate), O(Rates.EvasionRate));

    /// <summary>An optional rate: empty where no detector ran.</summary>
    static string O(double? v) => v is double d ? F(d) : "";

    static string F(double v) => v.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    public static EvaluationRecord Parse(string line)
    {
        var f = line.Split(',');
        double D(int i) => double.Parse(f[i], System.Globalization.CultureInfo.InvariantCulture);
        // Files written before the detector columns have 10 fields.
        double? Optional(int i) => i < f.Length && f[i].Length > 0 ? D(i) : null;
        return new EvaluationRecord(int.Parse(f[0]), new ContextRates(f[1], int.Parse(f[2]), D(3), D(4), D(5), D(6), D(7), D(8), D(9), Optional(10), Optional(11)));
    }
}
