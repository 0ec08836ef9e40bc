using Recontext.Environments;
using Recontext.Environments.ToyCode;
using Recontext.Recontextualizer;
using Recontext.Runs.Demo;

namespace Recontext.Runs.Tests;

/// <summary>The perfect-labels study's best-of-N rules and which pipelines a <c>--pipelines</c> filter brings along.</summary>
public class PerfectLabelsSelectionTests
{
    static readonly CodingTask Task = new ToyCodeEnvironment().SampleTasks(TaskSplit.Train, 1, seed: 1)[0];
    static readonly PromptContext Neutral = new("neutral", null);

    static JudgedRollout Sample(int group, int id, double reward, bool hack = false, bool mentionsTests = false) =>
        new(Task, group, Neutral, [1], [id], [0f], new JudgeScore { TrainReward = reward, Misbehaved = hack, Labels = new ReasoningLabels(mentionsTests, false, false) });

    static int[] Ids(IEnumerable<JudgedRollout> kept) => kept.Select(r => r.CompletionIds[0]).ToArray();

    [Fact]
    public void BestRewardTakesTheHighestRewardedNonHackPerTask()
    {
        var judged = new[]
        {
            Sample(0, id: 1, reward: 1.0, hack: true), Sample(0, id: 2, reward: 0.8, mentionsTests: true), Sample(0, id: 3, reward: 0.5),
            Sample(1, id: 4, reward: 1.0, hack: true),                                       // a task with only a hack keeps nothing
        };
        Assert.Equal([2], Ids(PerfectLabelsSelection.BestReward.Select(judged)));
    }

    [Fact]
    public void QuietReasoningFirstPrefersReasoningWithoutTestsAndFallsBackWhenEverySampleMentionsThem()
    {
        var judged = new[]
        {
            Sample(0, id: 1, reward: 1.0, hack: true), Sample(0, id: 2, reward: 0.8, mentionsTests: true), Sample(0, id: 3, reward: 0.5), Sample(0, id: 4, reward: 0.6),
            Sample(1, id: 5, reward: 0.4, mentionsTests: true), Sample(1, id: 6, reward: 0.9, mentionsTests: true),
            Sample(2, id: 7, reward: 1.0, hack: true),
        };
        Assert.Equal([4, 6], Ids(PerfectLabelsSelection.QuietReasoningFirst.Select(judged)));
        // On half the tasks (even prompt index) the quiet rule, on the others the best reward.
        var onHalf = judged.Concat([Sample(3, id: 8, reward: 0.9, mentionsTests: true), Sample(3, id: 9, reward: 0.2)]);
        Assert.Equal([4, 6, 8], Ids(PerfectLabelsSelection.QuietReasoningFirstOnHalf.Select(onHalf)));
    }

    [Fact]
    public void AFilterBringsTheControlsAndPlainPipelinesItsPipelinesAreComparedWith()
    {
        var hidden = PerfectLabelsRunner.Matching("hidden");
        Assert.All(hidden, p => Assert.Equal(EnvironmentVariant.NoLoophole, p.Variant));
        Assert.Equal(6, hidden.Count);

        var rewritten = PerfectLabelsRunner.Matching("rewritten");
        Assert.Equal(3, rewritten.Count);                                          // the pipeline, the plain one it varies, their control
        Assert.Single(rewritten, p => p.RewriteReasoning);
        Assert.Single(rewritten, p => p.GenerationPreset == "neutral");

        var quiet = PerfectLabelsRunner.Matching("without tests first ->");
        Assert.Equal(3, quiet.Count);                                              // the pipeline, the one it varies, their control
        Assert.Contains(quiet, p => p.Selection == PerfectLabelsSelection.QuietReasoningFirst);
        Assert.All(quiet, p => Assert.Equal(EnvironmentVariant.NoLoophole, p.Variant));
        Assert.Single(quiet, p => p.GenerationPreset == "neutral");

        Assert.Same(PerfectLabelsRunner.Pipelines, PerfectLabelsRunner.Matching(null));
        var error = Assert.Throws<ArgumentException>(() => PerfectLabelsRunner.Matching("no such pipeline"));
        Assert.Contains("--pipelines", error.Message);
        Assert.Contains(PerfectLabelsRunner.Pipelines[0].Name, error.Message);
    }
}
