using Recontext.Model.Scoring;

namespace Recontext.Model.Tests;

/// <summary>Micro-batches cut from a length-sorted order when that pads less (the training steps they feed equal the
/// whole batch's: GrpoTrainerTests and MicroBatchTests).</summary>
public class MicroBatchPlanTests
{
    static int[] Tokens(int length, int fill) => Enumerable.Repeat(fill, length).ToArray();

    /// <summary>GRPO-shaped: <paramref name="groups"/> prompts of 300 tokens (a coding task's), <paramref name="samples"/>
    /// rows each, completion lengths from <paramref name="length"/>(group, sample).</summary>
    static (int[][] Prompts, int[][] Completions) Batch(int groups, int samples, Func<int, int, int> length)
    {
        var prompts = Enumerable.Range(0, groups).Select(g => Tokens(300, 100 + g)).ToArray();
        var rows = Enumerable.Range(0, groups * samples).Select(r => (Prompt: prompts[r / samples], Completion: Tokens(length(r / samples, r % samples), 7))).ToArray();
        return (rows.Select(r => r.Prompt).ToArray(), rows.Select(r => r.Completion).ToArray());
    }

    static void AssertCovers(MicroBatchPlan plan, int rows, int size, int[][] prompts, int[][] completions)
    {
        Assert.Equal(Enumerable.Range(0, rows), plan.Parts.SelectMany(p => p).Order());
        Assert.All(plan.Parts, p => Assert.InRange(p.Length, 1, size));
        long counted = plan.Parts.Sum(p => SequenceBatch.PaddedTokens(p.Select(r => prompts[r]).ToArray(), p.Select(r => completions[r]).ToArray()));
        Assert.Equal(counted, plan.PaddedTokens);
        Assert.True(plan.PaddedTokens <= plan.InOrderPaddedTokens, $"the plan pads more ({plan.PaddedTokens}) than the given order ({plan.InOrderPaddedTokens})");
    }

    [Fact]
    public void GroupsOfLongAndShortAnswersAreBucketedWholeSoPromptsStayShared()
    {
        // Groups alternate between 200-token and 20-token answers; two groups per micro-batch. In order, every
        // micro-batch pads a short group to 200 tokens; bucketed, the long groups go together and so do the short.
        var (prompts, completions) = Batch(groups: 4, samples: 4, (g, s) => g % 2 == 0 ? 200 - s : 20 - s);
        var plan = MicroBatchPlan.For(prompts, completions, size: 8);
        AssertCovers(plan, 16, 8, prompts, completions);
        Assert.Equal(MicroBatchOrder.GroupsByLength, plan.Order);
        Assert.All(plan.Parts, p => Assert.Equal(2, p.Select(r => r / 4).Distinct().Count()));   // two whole groups each
        Assert.Equal(new[] { 0, 2 }, plan.Parts[0].Select(r => r / 4).Distinct());
        // Shared prompts (2 × 300 tokens) and completions padded: in order 2 × (600 + 8 × 200), bucketed
        // (600 + 8 × 200) + (600 + 8 × 20). (Sorting rows by length makes the same cut; the group order comes first.)
        Assert.Equal(2 * (600 + 8 * 200), plan.InOrderPaddedTokens);
        Assert.Equal(600 + 8 * 200 + 600 + 8 * 20, plan.PaddedTokens);
    }

    [Fact]
    public void RowsOfMixedLengthsInsideEveryGroupAreBucketedAcrossGroups()
    {
        // Every group has one 300-token answer and three of 10: any whole-group cut pads to 300, a cut by row length
        // puts the four long answers together.
        var (prompts, completions) = Batch(groups: 4, samples: 4, (_, s) => s == 0 ? 300 : 10);
        var plan = MicroBatchPlan.For(prompts, completions, size: 4);
        AssertCovers(plan, 16, 4, prompts, completions);
        Assert.Equal(MicroBatchOrder.RowsByLength, plan.Order);
        Assert.Equal(new[] { 0, 4, 8, 12 }, plan.Parts[0]);
        // In order, one group per micro-batch: 4 × (300 + 4 × 300). Bucketed: the long answers' four prompts run flat,
        // 4 × (300 + 300), as sharing saves nothing there; the short ones in three micro-batches of two prompts:
        // 3 × (600 + 4 × 10).
        Assert.Equal(4 * (300 + 4 * 300), plan.InOrderPaddedTokens);
        Assert.Equal(4 * 600 + 3 * (600 + 4 * 10), plan.PaddedTokens);
    }

    [Fact]
    public void TheGivenOrderStaysWhenNothingPadsLessAndWithoutMicroBatches()
    {
        var (prompts, completions) = Batch(groups: 3, samples: 2, (_, _) => 12);
        var equal = MicroBatchPlan.For(prompts, completions, size: 2);
        Assert.Equal(MicroBatchOrder.AsGiven, equal.Order);
        Assert.Equal(new[] { new[] { 0, 1 }, [2, 3], [4, 5] }, equal.Parts);

        var whole = MicroBatchPlan.For(prompts, completions, size: null);
        Assert.Equal(new[] { Enumerable.Range(0, 6).ToArray() }, whole.Parts);
        Assert.Equal(SequenceBatch.PaddedTokens(prompts, completions), whole.PaddedTokens);
        Assert.Single(MicroBatchPlan.For(prompts, completions, size: 50).Parts);
    }

    [Fact]
    public void ABadSizeOrMismatchedListsAreRefused()
    {
        var (prompts, completions) = Batch(groups: 1, samples: 2, (_, _) => 3);
        Assert.Contains("micro-batch size must be >= 1, got 0", Assert.Throws<ArgumentException>(() => MicroBatchPlan.For(prompts, completions, 0)).Message);
        Assert.Contains("2 and 1", Assert.Throws<ArgumentException>(() => MicroBatchPlan.For(prompts, completions[..1], 1)).Message);
    }
}
