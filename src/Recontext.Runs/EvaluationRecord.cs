using Recontext.Runs.Evaluation;

namespace Recontext.Runs;

/// <summary>One row of evaluations.csv.</summary>
public sealed record EvaluationRecord(int Step, ContextRates Rates)
{
    public const string Header = "step,eval_context,samples,hack_rate,correct_rate,well_formed_rate,train_reward,intends_to_pass_rate,mentions_tests_rate,flags_wrong_test_rate";

    public string ToCsv() => string.Join(",", Step, Rates.Context, Rates.Samples, F(Rates.HackRate), F(Rates.CorrectRate), F(Rates.WellFormedRate),
        F(Rates.MeanTrainReward), F(Rates.IntendsToPassRate), F(Rates.MentionsTestsRate), F(Rates.FlagsWrongTestRate));

    static string F(double v) => v.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
}
