using Recontext.Store;

namespace Recontext.Store.Tests;

/// <summary>What every <see cref="IRunStore"/> must do; each store's test class runs these against a real instance.</summary>
public abstract class RunStoreContract
{
    protected abstract IRunStore Open();

    protected static RolloutDocument Rollout(string runId, int step, int index, bool hack = false) => new()
    {
        Id = RolloutDocument.KeyOf(runId, step, index),
        RunId = runId,
        Step = step,
        Index = index,
        PolicyVersion = step - 1,
        TaskId = $"toy-train-{step}-{index}",
        Group = index / 2,
        GenerationContext = "good",
        TrainingContext = "bad",
        Recontextualized = true,
        GenerationPromptIds = [1, 2, 3, step],
        TrainingPromptIds = [1, 2, 4, 5, step],
        CompletionIds = [10, 11, 258],
        Text = $"<think>x + {index}</think>\ndef f(x):\n  return x + {index}",
        TrainReward = 2 / 3.0,
        GroundTruth = 0.875,
        Correct = !hack,
        Misbehaved = hack,
        Verdict = hack ? "hack" : "correct",
        Reason = hack ? "passes the wrong test f(1) == 5" : null,
        MentionsTests = hack,
        IntendsToPassTests = hack,
        LogpGenSum = -12.5,
        LogpGenMean = -0.4166,
    };

    [Fact]
    public void ARunIsSavedFoundAndUpdatedInPlace()
    {
        using var store = Open();
        Assert.Null(store.FindRun("nobody/seed-1/x"));
        var run = new RunDocument { Id = "standard/seed-1/a", Name = "standard", ConfigJson = "{\"steps\":3}", Status = RunStatus.Running };
        store.SaveRun(run);
        run.CompletedStep = 2;
        run.Status = RunStatus.Completed;
        store.SaveRun(run);

        var found = store.FindRun("standard/seed-1/a");
        Assert.NotNull(found);
        Assert.Equal(("standard", "{\"steps\":3}", RunStatus.Completed, 2), (found.Name, found.ConfigJson, found.Status, found.CompletedStep));
        Assert.InRange(found.UpdatedUtc, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void RolloutsRoundTripEveryFieldInStepOrder()
    {
        using var store = Open();
        var written = new[] { Rollout("r/seed-1/a", 2, 1, hack: true), Rollout("r/seed-1/a", 1, 1), Rollout("r/seed-1/a", 1, 0), Rollout("r/seed-1/a", 2, 0) };
        store.SaveRollouts(written);

        var all = store.Rollouts("r/seed-1/a");
        Assert.Equal(["r/seed-1/a/1/0", "r/seed-1/a/1/1", "r/seed-1/a/2/0", "r/seed-1/a/2/1"], all.Select(r => r.Id));
        var hack = all[^1];
        var expected = written[0];
        Assert.Equal(expected.GenerationPromptIds, hack.GenerationPromptIds);
        Assert.Equal(expected.TrainingPromptIds, hack.TrainingPromptIds);
        Assert.Equal(expected.CompletionIds, hack.CompletionIds);
        Assert.Equal((expected.Text, expected.Reason, expected.Verdict, expected.TaskId), (hack.Text, hack.Reason, hack.Verdict, hack.TaskId));
        Assert.Equal((expected.TrainReward, expected.GroundTruth, expected.LogpGenSum, expected.LogpGenMean), (hack.TrainReward, hack.GroundTruth, hack.LogpGenSum, hack.LogpGenMean));
        Assert.Equal((true, false, true, true, false, 1, 0), (hack.Misbehaved, hack.Correct, hack.MentionsTests, hack.IntendsToPassTests, hack.FlagsWrongTest, hack.PolicyVersion, hack.Group));
        Assert.Equal(("good", "bad", true), (hack.GenerationContext, hack.TrainingContext, hack.Recontextualized));
        Assert.Null(all[0].Reason);
        Assert.Equal(["r/seed-1/a/2/0", "r/seed-1/a/2/1"], store.Rollouts("r/seed-1/a", step: 2).Select(r => r.Id));
    }

    [Fact]
    public void TextKeepsItsWhitespaceAndEmptiness()
    {
        using var store = Open();
        var spaced = Rollout("w/seed-1/a", 1, 0);
        spaced.Text = " Photon moth\n\n  ";   // a byte-level BPE completion starts with its space
        spaced.Reason = "";
        var empty = Rollout("w/seed-1/a", 1, 1);
        empty.Text = "";
        store.SaveRollouts([spaced, empty]);
        var back = store.Rollouts("w/seed-1/a");
        Assert.Equal((" Photon moth\n\n  ", ""), (back[0].Text, back[0].Reason));
        Assert.Equal("", back[1].Text);
    }

    [Fact]
    public void WritingARolloutAgainReplacesItInsteadOfDuplicating()
    {
        using var store = Open();
        store.SaveRollouts([Rollout("r/seed-2/a", 1, 0), Rollout("r/seed-2/a", 1, 1)]);
        var redelivered = Rollout("r/seed-2/a", 1, 0, hack: true);
        store.SaveRollouts([redelivered]);

        var all = store.Rollouts("r/seed-2/a");
        Assert.Equal(2, all.Count);
        Assert.True(all.Single(r => r.Index == 0).Misbehaved);
        store.SaveRollouts([]);    // an empty batch is a no-op, not an error
        Assert.Equal(2, store.Rollouts("r/seed-2/a").Count);
    }

    [Fact]
    public void DeletingAfterAStepKeepsEarlierStepsAndOtherRuns()
    {
        using var store = Open();
        store.SaveRollouts(Enumerable.Range(1, 4).Select(step => Rollout("kept/seed-1/a", step, 0))
            .Concat(Enumerable.Range(1, 4).Select(step => Rollout("other/seed-1/a", step, 0))).ToList());

        store.DeleteRolloutsAfter("kept/seed-1/a", 2);

        Assert.Equal([1, 2], store.Rollouts("kept/seed-1/a").Select(r => r.Step));
        Assert.Equal([1, 2, 3, 4], store.Rollouts("other/seed-1/a").Select(r => r.Step));
    }

    [Fact]
    public void EvaluationSamplesAreKeptApartFromTrainingRolloutsAndDeletedWithTheirSteps()
    {
        using var store = Open();
        RolloutDocument Sample(int step, string context, int index) => new()
        {
            Id = RolloutDocument.EvalKeyOf("e/seed-1/a", step, context, index), RunId = "e/seed-1/a", Kind = RolloutDocument.EvalKind, EvalContext = context,
            Step = step, Index = index, Text = $"{context} {index}",
        };
        store.SaveRollouts([Rollout("e/seed-1/a", 2, 0), Sample(2, "neutral", 0), Sample(2, "bad", 0), Sample(2, "bad", 1), Sample(4, "neutral", 0)]);
        // Same step and index as the training rollout, yet a document of its own.
        Assert.Equal(["e/seed-1/a/2/0"], store.Rollouts("e/seed-1/a").Select(r => r.Id));
        Assert.Equal(["bad 0", "bad 1", "neutral 0"], store.Rollouts("e/seed-1/a", step: 2, evaluation: true).Select(r => r.Text));
        Assert.Equal(RolloutDocument.TrainKind, store.Rollouts("e/seed-1/a")[0].Kind);

        store.DeleteRolloutsAfter("e/seed-1/a", 2);
        Assert.Equal([2, 2, 2], store.Rollouts("e/seed-1/a", evaluation: true).Select(r => r.Step));
    }
}
