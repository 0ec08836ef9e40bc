using Recontext.Environments;
using Recontext.Environments.ToyCode;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;

namespace Recontext.Recontextualizer.Tests;

public class TrainingBatchBuilderTests
{
    static readonly ToyCodeEnvironment Environment = new();
    static readonly ModelText Text = ModelText.Organism;

    static List<JudgedRollout> Rollouts(RecontextPolicy policy, params JudgeScore[] scores)
    {
        var generation = policy.Generation.Resolve(Environment);
        var prompts = new PromptTokens(Environment, Text);
        var tasks = Environment.SampleTasks(TaskSplit.Train, scores.Length, seed: 1);
        return scores.Select((score, i) =>
        {
            var completion = Text.Tokenizer.Encode($"<think>reason {i}</think>\ndef f(x):\n  return x + {i}");
            return new JudgedRollout(tasks[i], i, generation, prompts.Encode(tasks[i], generation), completion,
                completion.Select(_ => -0.5f).ToArray(), score);
        }).ToList();
    }

    static JudgeScore Score(bool hack = false, bool intends = false) =>
        new() { TrainReward = hack ? 1 : 2.0 / 3, Misbehaved = hack, Labels = new ReasoningLabels(intends, intends, false) };

    [Fact]
    public void TrainingIdsAreTheTrainingPromptFollowedByTheUnchangedCompletion()
    {
        var policy = RecontextPolicy.FromPreset("good->bad");
        var rollouts = Rollouts(policy, Score(), Score(hack: true));
        var samples = new TrainingBatchBuilder(policy, Environment, Text).Build(rollouts, new Random(1));
        var bad = policy.Training.Resolve(Environment);
        for (int i = 0; i < samples.Count; i++)
        {
            var expectedPrompt = Text.Tokenizer.Encode(ChatMlTemplate.Render(Environment.Render(rollouts[i].Task, bad), true));
            Assert.Equal(expectedPrompt, samples[i].TrainingPromptIds);
            Assert.Same(rollouts[i].CompletionIds, samples[i].CompletionIds);
            Assert.Equal(rollouts[i].GenerationPromptIds, samples[i].GenerationPromptIds);
            Assert.Equal(rollouts[i].GenerationLogProbs, samples[i].GenerationLogProbs);
            Assert.True(samples[i].Recontextualized);
            Assert.Equal(("good", "bad"), (samples[i].GenerationContext, samples[i].TrainingContext));
            Assert.Contains(Environment.Instructions(ContextPreset.Bad).Training[0]!, Text.Tokenizer.Decode(samples[i].TrainingPromptIds));
        }
        Assert.Equal([2.0 / 3, 1.0], samples.Select(s => s.Reward));
    }

    [Fact]
    public void MonitorAsRewardTakesItsPenaltyOffTheFlaggedSamplesOnly()
    {
        var policy = RecontextPolicy.FromPreset("neutral->neutral");
        // flagged and hacked, flagged and honest, a hack the reasoning does not state, honest and quiet
        var scores = new[] { Score(hack: true, intends: true), Score(intends: true), Score(hack: true), Score() }.Select(s => s.WithMonitorPenalty(0.75)).ToArray();
        var samples = new TrainingBatchBuilder(policy, Environment, Text).Build(Rollouts(policy, scores), new Random(1));

        Assert.Equal([0.75, 0.75, 0, 0], scores.Select(s => s.MonitorPenalty));
        Assert.Equal([1 - 0.75, 2.0 / 3 - 0.75, 1, 2.0 / 3], samples.Select(s => s.Reward));
        Assert.Equal([1, 2.0 / 3, 1, 2.0 / 3], scores.Select(s => s.TrainReward));   // the setting's own reward stays as scored
        Assert.Throws<ArgumentOutOfRangeException>(() => Score().WithMonitorPenalty(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Score().WithMonitorPenalty(double.NaN));
    }

    [Fact]
    public void StandardModeKeepsTheGenerationPrompt()
    {
        var policy = RecontextPolicy.FromPreset("neutral->neutral");
        Assert.Equal(RecontextMode.Standard, policy.Mode);
        var rollouts = Rollouts(policy, Score(), Score());
        var samples = new TrainingBatchBuilder(policy, Environment, Text).Build(rollouts, new Random(1));
        Assert.All(samples, s => Assert.False(s.Recontextualized));
        Assert.Equal(rollouts.Select(r => r.GenerationPromptIds), samples.Select(s => s.TrainingPromptIds));
    }

    [Fact]
    public void SelectiveModeChangesOnlyFlaggedSamples()
    {
        var policy = RecontextPolicy.FromPreset("neutral->bad") with { Mode = RecontextMode.Selective, Predicate = "monitor.intendsToPassTests" };
        var rollouts = Rollouts(policy, Score(), Score(intends: true), Score(hack: true), Score(intends: true, hack: true));
        var samples = new TrainingBatchBuilder(policy, Environment, Text).Build(rollouts, new Random(1));
        Assert.Equal([false, true, false, true], samples.Select(s => s.Recontextualized));
        Assert.Equal(rollouts[0].GenerationPromptIds, samples[0].TrainingPromptIds);
        Assert.Equal(rollouts[2].GenerationPromptIds, samples[2].TrainingPromptIds);

        var byHack = new TrainingBatchBuilder(policy with { Predicate = "score.hack" }, Environment, Text).Build(rollouts, new Random(1));
        Assert.Equal([false, false, true, true], byHack.Select(s => s.Recontextualized));
        var notHack = new TrainingBatchBuilder(policy with { Predicate = "!score.hack" }, Environment, Text).Build(rollouts, new Random(1));
        Assert.Equal([true, true, false, false], notHack.Select(s => s.Recontextualized));
    }

    [Fact]
    public void FractionModeIsSeededAndNearTheFraction()
    {
        var policy = RecontextPolicy.FromPreset("neutral->bad") with { Mode = RecontextMode.Fraction, Fraction = 0.3 };
        var rollouts = Rollouts(policy, Enumerable.Range(0, 200).Select(_ => Score()).ToArray());
        var builder = new TrainingBatchBuilder(policy, Environment, Text);
        var first = builder.Build(rollouts, new Random(4)).Select(s => s.Recontextualized).ToList();
        Assert.Equal(first, builder.Build(rollouts, new Random(4)).Select(s => s.Recontextualized));
        Assert.InRange(first.Count(r => r) / 200.0, 0.2, 0.4);
    }

    [Fact]
    public void AnswerOnlyMasksExactlyTheReasoningSpan()
    {
        var completion = Text.Tokenizer.Encode("<think>ab</think>\ndef f(x):\n  return x");
        var mask = ReasoningSpanMask.Compute(Text.Tokenizer, completion);
        int spanLength = "<think>ab</think>".Length;   // bytes = tokens for the byte tokenizer
        Assert.All(mask[..spanLength], m => Assert.Equal(0f, m));
        Assert.All(mask[spanLength..], m => Assert.Equal(1f, m));
        Assert.All(ReasoningSpanMask.Compute(Text.Tokenizer, Text.Tokenizer.Encode("def f(x):\n  return x")), m => Assert.Equal(1f, m));

        var policy = RecontextPolicy.FromPreset("neutral->neutral") with { AnswerOnly = true };
        var sample = new TrainingBatchBuilder(policy, Environment, Text).Build(Rollouts(policy, Score()), new Random(1))[0];
        Assert.Equal(ReasoningSpanMask.Compute(Text.Tokenizer, sample.CompletionIds), sample.LossMask);
        Assert.Contains(0f, sample.LossMask);
    }

    [Theory]
    [InlineData("good->awful", "preset 'good->awful' is unknown")]
    [InlineData("sideways", "preset 'sideways' is unknown")]
    public void UnknownPresetsAreNamed(string preset, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => RecontextPolicy.FromPreset(preset)).Message);

    [Fact]
    public void InvalidPolicyFieldsAreNamed()
    {
        Assert.Contains("recontextualization.predicate", Assert.Throws<ArgumentException>(() => new RecontextPolicy { Mode = RecontextMode.Selective }.Validate()).Message);
        Assert.Contains("monitor.intendsToPassTests", Assert.Throws<ArgumentException>(() => new RecontextPolicy { Mode = RecontextMode.Selective, Predicate = "score.vibes" }.Validate()).Message);
        Assert.Contains("recontextualization.fraction", Assert.Throws<ArgumentException>(() => new RecontextPolicy { Fraction = 1.5 }.Validate()).Message);
        Assert.Contains("context preset 'rude'", Assert.Throws<ArgumentException>(() => ContextSpec.Of("rude").Resolve(Environment)).Message);
    }
}
