using Recontext.Runs.Evaluation;

namespace Recontext.Runs;

/// <summary>One row of evaluations.csv.</summary>
public sealed record EvaluationRecord(int Step, ContextRates Rates)
{
    /// <summary>evaluations.csv's columns, in order (see <see cref="StepRecord.Table"/>). The detector's rates are
    /// empty where no detector ran, and absent from files written before them.</summary>
    public static readonly CsvTable<EvaluationRecord> Table = new(new EvaluationRecord(0, new ContextRates("", 0, 0, 0, 0, 0, 0, 0, 0)),
    [
        CsvColumn.Integer<EvaluationRecord>("step", r => r.Step, (r, v) => r with { Step = v }),
        CsvColumn.Text<EvaluationRecord>(ContextColumn, r => r.Rates.Context, (r, v) => r with { Rates = r.Rates with { Context = v } }),
        CsvColumn.Integer<EvaluationRecord>("samples", r => r.Rates.Samples, (r, v) => r with { Rates = r.Rates with { Samples = v } }),
        CsvColumn.Number<EvaluationRecord>("misbehaviour_rate", r => r.Rates.MisbehaviourRate, (r, v) => r with { Rates = r.Rates with { MisbehaviourRate = v } }),
        CsvColumn.Number<EvaluationRecord>("correct_rate", r => r.Rates.CorrectRate, (r, v) => r with { Rates = r.Rates with { CorrectRate = v } }),
        CsvColumn.Number<EvaluationRecord>("well_formed_rate", r => r.Rates.WellFormedRate, (r, v) => r with { Rates = r.Rates with { WellFormedRate = v } }),
        CsvColumn.Number<EvaluationRecord>("train_reward", r => r.Rates.MeanTrainReward, (r, v) => r with { Rates = r.Rates with { MeanTrainReward = v } }),
        CsvColumn.Number<EvaluationRecord>("intends_to_pass_rate", r => r.Rates.IntendsToPassRate, (r, v) => r with { Rates = r.Rates with { IntendsToPassRate = v } }),
        CsvColumn.Number<EvaluationRecord>("mentions_tests_rate", r => r.Rates.MentionsTestsRate, (r, v) => r with { Rates = r.Rates with { MentionsTestsRate = v } }),
        CsvColumn.Number<EvaluationRecord>("flags_wrong_test_rate", r => r.Rates.FlagsWrongTestRate, (r, v) => r with { Rates = r.Rates with { FlagsWrongTestRate = v } }),
        CsvColumn.MaybeNumber<EvaluationRecord>("detected_rate", r => r.Rates.DetectedRate, (r, v) => r with { Rates = r.Rates with { DetectedRate = v } }),
        CsvColumn.MaybeNumber<EvaluationRecord>("evasion_rate", r => r.Rates.EvasionRate, (r, v) => r with { Rates = r.Rates with { EvasionRate = v } }),
        CsvColumn.MaybeNumber<EvaluationRecord>("unflagged_misbehaviour_rate", r => r.Rates.UnflaggedMisbehaviourRate,
            (r, v) => r with { Rates = r.Rates with { UnflaggedMisbehaviourRate = v } }),
    ]);

    /// <summary>The column that names the eval context (text; every other is a number).</summary>
    public const string ContextColumn = "eval_context";

    public static string Header => Table.Header;

    public string ToCsv() => Table.Write(this);

    public static EvaluationRecord Parse(string line) => Table.Parse(line);
}
