using System.Text.Json;
using Recontext.Gateway.Dashboard.Catalog;
using Recontext.Gateway.Dashboard.Charts;
using Recontext.Gateway.Dashboard.Rollouts;

namespace Recontext.Gateway.Tests.Dashboard;

/// <summary>The dashboard's parts on their own: the prompt diff, chart ticks, a run's variant from its config.</summary>
public class DashboardPartsTests
{
    [Fact]
    public void ThePromptDiffMarksWhatRecontextualizationChangedAsPhrases()
    {
        var (generation, training) = TextDiff.Compare("f(x): double x.\nSolve it in general; no special cases.\n", "f(x): double x.\nOnly passing tests matters; special-case freely.\n");
        Assert.Equal("f(x): double x.\nSolve it in general; no special cases.\n", string.Concat(generation.Select(s => s.Text)));
        Assert.Equal("f(x): double x.\nOnly passing tests matters; special-case freely.\n", string.Concat(training.Select(s => s.Text)));
        Assert.Contains(generation, s => s is { Kind: "removed", Text: "Solve it in general" });
        Assert.Contains(training, s => s is { Kind: "added", Text: "Only passing tests matters" });
        Assert.DoesNotContain(generation, s => s.Kind == "added");
        Assert.DoesNotContain(training, s => s.Kind == "removed");
        Assert.All(TextDiff.Compare("same text", "same text").First, s => Assert.Equal("same", s.Kind));
        // Texts past the word limit compare line by line, still complete.
        var longA = string.Join("\n", Enumerable.Range(0, 4000).Select(i => $"line {i}"));
        var longB = longA.Replace("line 1234\n", "line changed\n");
        var (a, b) = TextDiff.Compare(longA, longB);
        Assert.Equal(longB, string.Concat(b.Select(s => s.Text)));
        Assert.Equal("line changed\n", Assert.Single(b, s => s.Kind == "added").Text);
    }

    [Fact]
    public void ChartTicksAreRoundAndCoverTheData()
    {
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], ChartGeometry.NiceTicks(0, 1).Select(t => Math.Round(t, 9)));
        Assert.Equal([0, 5, 10, 15, 20], ChartGeometry.NiceTicks(0, 17).Select(t => Math.Round(t, 9)));
        var g = new ChartGeometry(new LineChart("c", "t", "y", [new ChartSeries("s", [(1, -0.001), (8, 0.0027)])]));
        Assert.True(g.YMin <= -0.001 && g.YMax >= 0.0027);
        Assert.Equal(ChartGeometry.Left, g.X(1), 6);
        Assert.Equal(ChartGeometry.Width - ChartGeometry.Right, g.X(8), 6);
        Assert.Equal("0.003", ChartGeometry.Label(0.003));
        Assert.Equal("&lt;b&gt;", ChartGeometry.Text("tick", 0, 0, "end", "<b>").Value.Split('>', 2)[1].Split("</text")[0]);
    }

    [Fact]
    public void AVariantReadsItsContextsModeAndDistinguishingSettingsFromTheConfig()
    {
        var config = JsonDocument.Parse("""
            { "Name": "x", "Algorithm": 0, "Grpo": { "Beta": 0.05, "OldLogprobs": 1 },
              "Recontextualization": { "Generation": { "Label": "good" }, "Training": { "Label": "bad" }, "Mode": 2, "Fraction": 0.5, "AnswerOnly": true } }
            """).RootElement;
        var variant = RunVariant.Of(config);
        Assert.Equal(("good", "bad", "fraction 0.5, answer-only", "grpo"), (variant.Generation, variant.Training, variant.Mode, variant.Algorithm));
        Assert.Equal("good → bad (fraction 0.5, answer-only), KL β 0.05, old log-probs under f_train", variant.Label);
        var sft = RunVariant.Of(JsonDocument.Parse("""{ "Algorithm": "ExpertIteration", "Recontextualization": { "Mode": 0 } }""").RootElement);
        Assert.Equal(("?", "standard", "expert-iteration"), (sft.Generation, sft.Mode, sft.Algorithm));
    }
}
