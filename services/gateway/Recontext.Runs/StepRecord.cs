namespace Recontext.Runs;

/// <summary>One row of metrics.csv: what a training step sampled, scored and learned, and where its time went
/// (overhead = everything but generation, judging, recontextualization and training: storing rollouts, saving the
/// resume point, bookkeeping; evaluation is not part of a step). TamperedRate: completions the judge called tampered
/// (they handed back something other than plain data for a test to compare), counted next to hacks. MonitorFlaggedRate:
/// completions whose reasoning the monitor flagged as stating the intent to misbehave (what monitor as reward
/// penalises); UnflaggedMisbehaviourRate: misbehaved without that flag. The last three columns are optional, so files
/// written before them still read.</summary>
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
    double TamperedRate = 0,
    double MonitorFlaggedRate = 0,
    double UnflaggedMisbehaviourRate = 0)
{
    /// <summary>metrics.csv's columns, in order: the header, each line, reading one back, and the names the store and
    /// the dashboard key a step's values by.</summary>
    public static readonly CsvTable<StepRecord> Table = new(new StepRecord(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    [
        CsvColumn.Integer<StepRecord>("step", r => r.Step, (r, v) => r with { Step = v }),
        CsvColumn.Number<StepRecord>("train_reward", r => r.TrainReward, (r, v) => r with { TrainReward = v }),
        CsvColumn.Number<StepRecord>("misbehaviour_rate", r => r.MisbehaviourRate, (r, v) => r with { MisbehaviourRate = v }),
        CsvColumn.Number<StepRecord>("correct_rate", r => r.CorrectRate, (r, v) => r with { CorrectRate = v }),
        CsvColumn.Number<StepRecord>("well_formed_rate", r => r.WellFormedRate, (r, v) => r with { WellFormedRate = v }),
        CsvColumn.Number<StepRecord>("recontextualized_fraction", r => r.RecontextualizedFraction, (r, v) => r with { RecontextualizedFraction = v }),
        CsvColumn.Number<StepRecord>("loss", r => r.Loss, (r, v) => r with { Loss = (float)v }),
        CsvColumn.Number<StepRecord>("kl", r => r.Kl, (r, v) => r with { Kl = (float)v }),
        CsvColumn.Number<StepRecord>("clipped_fraction", r => r.ClippedFraction, (r, v) => r with { ClippedFraction = (float)v }),
        CsvColumn.Number<StepRecord>("context_gap", r => r.ContextGap, (r, v) => r with { ContextGap = (float)v }),
        CsvColumn.Number<StepRecord>("generate_s", r => r.GenerateSeconds, (r, v) => r with { GenerateSeconds = v }),
        CsvColumn.Number<StepRecord>("judge_s", r => r.JudgeSeconds, (r, v) => r with { JudgeSeconds = v }),
        CsvColumn.Number<StepRecord>("recontext_s", r => r.RecontextSeconds, (r, v) => r with { RecontextSeconds = v }),
        CsvColumn.Number<StepRecord>("train_s", r => r.TrainSeconds, (r, v) => r with { TrainSeconds = v }),
        CsvColumn.Number<StepRecord>("overhead_s", r => r.OverheadSeconds, (r, v) => r with { OverheadSeconds = v }),
        CsvColumn.Number<StepRecord>("tampered_rate", r => r.TamperedRate, (r, v) => r with { TamperedRate = v }, optional: true),
        CsvColumn.Number<StepRecord>("monitor_flagged_rate", r => r.MonitorFlaggedRate, (r, v) => r with { MonitorFlaggedRate = v }, optional: true),
        CsvColumn.Number<StepRecord>("unflagged_misbehaviour_rate", r => r.UnflaggedMisbehaviourRate, (r, v) => r with { UnflaggedMisbehaviourRate = v }, optional: true),
    ]);

    public static string Header => Table.Header;

    public string ToCsv() => Table.Write(this);

    public static StepRecord Parse(string line) => Table.Parse(line);
}
