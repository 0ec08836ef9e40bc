namespace Recontext.Runs.Tests;

public sealed class StepRecordTests
{
    [Fact]
    public void TheOptionalRatesRoundTripAndFilesWrittenBeforeThemStillRead()
    {
        var step = new StepRecord(3, 0.5, 0.25, 0.5, 1, 0.5, 0.1f, 0.01f, 0.2f, 0.3f, 1, 2, 3, 4, 5, TamperedRate: 0.125, MonitorFlaggedRate: 0.375,
            UnflaggedMisbehaviourRate: 0.0625);
        Assert.Equal(StepRecord.Header.Split(',').Length, step.ToCsv().Split(',').Length);
        Assert.Equal(step, StepRecord.Parse(step.ToCsv()));
        Assert.EndsWith(",tampered_rate,monitor_flagged_rate,unflagged_misbehaviour_rate", StepRecord.Header);

        var beforeTampered = string.Join(",", step.ToCsv().Split(',')[..15]);   // a metrics.csv row from before the optional columns
        Assert.Equal(step with { TamperedRate = 0, MonitorFlaggedRate = 0, UnflaggedMisbehaviourRate = 0 }, StepRecord.Parse(beforeTampered));
        var beforeMonitor = string.Join(",", step.ToCsv().Split(',')[..16]);     // one from before the monitor's
        Assert.Equal(step with { MonitorFlaggedRate = 0, UnflaggedMisbehaviourRate = 0 }, StepRecord.Parse(beforeMonitor));
    }
}
