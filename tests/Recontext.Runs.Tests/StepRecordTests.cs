namespace Recontext.Runs.Tests;

public sealed class StepRecordTests
{
    [Fact]
    public void TheTamperedRateRoundTripsAndFilesWrittenBeforeItStillRead()
    {
        var step = new StepRecord(3, 0.5, 0.25, 0.5, 1, 0.5, 0.1f, 0.01f, 0.2f, 0.3f, 1, 2, 3, 4, 5, TamperedRate: 0.125);
        Assert.Equal(StepRecord.Header.Split(',').Length, step.ToCsv().Split(',').Length);
        Assert.Equal(step, StepRecord.Parse(step.ToCsv()));
        Assert.EndsWith(",tampered_rate", StepRecord.Header);

        var before = string.Join(",", step.ToCsv().Split(',')[..15]);   // a metrics.csv row from before the column
        Assert.Equal(step with { TamperedRate = 0 }, StepRecord.Parse(before));
    }
}
