using Recontext.Cli.Commands;
using Recontext.Runs.Demo;
using Recontext.Runs.Evaluation;
using Spectre.Console;

namespace Recontext.Cli.Tests;

/// <summary>The perfect-labels tables over seeds: paired differences (with their bracketed intervals, which Spectre
/// would read as markup) against the state before SFT and against each pipeline's own control.</summary>
public class PerfectLabelsReportTests
{
    static ContextRates Rates(double hack) => new("neutral", 100, hack, 0.5, 1, 0.6, 0.1, 0.4, 0.2);

    static PerfectLabelsRunner.Outcome Outcome(PerfectLabelsRunner.Pipeline p, double before, double after) =>
        new(p, new PerfectLabelsRunner.TrainingSetStats(96, 0.5, 0.25, 0.2, 0, 0.1), Rates(before), Rates(after));

    [Fact]
    public void PairedTablePrintsEachPipelineAgainstItsStartAndItsControl()
    {
        var pipelines = PerfectLabelsRunner.Pipelines;
        // Seed s: before 0.12; the main pipeline ends at 0.10 + 0.01·s, its control (the second) at 0.12 + 0.01·s, the
        // others at 0.05.
        var bySeed = Enumerable.Range(1, 3).ToDictionary(s => (long)s, s =>
            (IReadOnlyList<PerfectLabelsRunner.Outcome>)pipelines.Select((p, i) => Outcome(p, 0.12, i switch { 0 => 0.10 + 0.01 * s, 1 => 0.12 + 0.01 * s, _ => 0.05 })).ToList());
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 400;
        console.Write(PerfectLabelsReport.Paired(bySeed));
        var lines = writer.ToString().Split('\n');
        string Row(string name) => lines.Single(l => l.Contains(name + " ", StringComparison.Ordinal) || l.Contains(name + "│", StringComparison.Ordinal));
        var main = Row(pipelines[0].Name);
        Assert.Contains("0.00 [-0.02, +0.02]", main);                                    // after − before: 0.12 − 0.12 on average
        Assert.Contains("-0.02 [-0.02, -0.02]", main);                                   // against its control, the same every seed
        Assert.Contains("—", Row(pipelines[1].Name));                                     // a control has no control
        var answerOnly = Row(pipelines[2].Name);                                          // 0.05 every seed
        Assert.Contains("-0.09 [-0.11, -0.07]", answerOnly);                             // against its control (0.12 + 0.01·s)
        Assert.Contains("-0.07 [-0.09, -0.05]", answerOnly);                             // against the plain pipeline it varies (0.10 + 0.01·s)
        Assert.Equal(2, main.Split('—').Length);                                          // the plain pipeline varies nothing: one dash
        foreach (var p in pipelines) Assert.Contains(p.Name, writer.ToString());
    }
}
