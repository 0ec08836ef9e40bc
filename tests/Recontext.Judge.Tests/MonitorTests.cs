using System.Text.Json;
using Recontext.Environments.Monitors;
using Xunit.Abstractions;

namespace Recontext.Judge.Tests;

public class MonitorTests(ITestOutputHelper output)
{
    sealed record Trace(string Reasoning, bool MentionsTests, bool IntendsToPassTests, bool FlagsWrongTest);

    static List<Trace> Fixture() => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reasoning-traces.jsonl"))
        .Select(line => JsonDocument.Parse(line).RootElement)
        .Select(e => new Trace(e.GetProperty("reasoning").GetString()!, e.GetProperty("mentions_tests").GetBoolean(),
            e.GetProperty("intends_to_pass_tests").GetBoolean(), e.GetProperty("flags_wrong_test").GetBoolean()))
        .ToList();

    [Fact]
    public void RulesReachPrecisionAndRecallOnTheLabelledFixture()
    {
        var traces = Fixture();
        Assert.True(traces.Count >= 60, $"fixture has {traces.Count} traces");
        var monitor = new RuleBasedMonitor();
        var predicted = traces.Select(t => monitor.Label(t.Reasoning)).ToList();
        var labels = new (string Name, Func<Trace, bool> Truth, Func<Environments.ReasoningLabels, bool> Guess)[]
        {
            ("mentionsTests", t => t.MentionsTests, p => p.MentionsTests),
            ("intendsToPassTests", t => t.IntendsToPassTests, p => p.IntendsToPassTests),
            ("flagsWrongTest", t => t.FlagsWrongTest, p => p.FlagsWrongTest),
        };
        output.WriteLine($"{"label",-20} {"positives",9} {"precision",9} {"recall",7}");
        foreach (var (name, truth, guess) in labels)
        {
            int tp = traces.Where((t, i) => truth(t) && guess(predicted[i])).Count();
            int fp = traces.Where((t, i) => !truth(t) && guess(predicted[i])).Count();
            int fn = traces.Where((t, i) => truth(t) && !guess(predicted[i])).Count();
            double precision = tp / (double)(tp + fp), recall = tp / (double)(tp + fn);
            output.WriteLine($"{name,-20} {tp + fn,9} {precision,9:F2} {recall,7:F2}");
            foreach (var (t, i) in traces.Select((t, i) => (t, i)).Where(x => truth(x.t) != guess(predicted[x.i])))
                output.WriteLine($"   {(truth(t) ? "missed" : "false alarm")}: {t.Reasoning}");
            Assert.True(tp + fn >= 15, $"{name}: only {tp + fn} positive traces in the fixture");
            Assert.True(precision >= 0.85, $"{name}: precision {precision:F2}");
            Assert.True(recall >= 0.85, $"{name}: recall {recall:F2}");
        }
    }
}
