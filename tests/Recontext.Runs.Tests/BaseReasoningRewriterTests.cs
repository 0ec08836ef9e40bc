using Recontext.Environments;
using Recontext.Environments.ToyCode;
using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Model.Scoring;
using Recontext.Organism;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;
using Recontext.Recontextualizer;
using Recontext.Runs.Demo;

namespace Recontext.Runs.Tests;

/// <summary>The reasoning rewriter on a tiny base: the answer stays, the reasoning is the candidate under which the base
/// finds that answer most likely, and the monitor's labels are those of the new reasoning.</summary>
public sealed class BaseReasoningRewriterTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-rewriter-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task TheAnswerStaysAndTheReasoningIsTheCandidateThatMakesItMostLikely()
    {
        var tokenizer = new ByteTokenizer();
        var environment = new ToyCodeEnvironment();
        using var model = Checkpoint.Load(ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(root, "cache")));
        var task = environment.SampleTasks(TaskSplit.Train, 1, seed: 5)[0];
        var neutral = ContextSpec.Of("neutral").Resolve(environment);
        var promptIds = new PromptTokens(environment, ModelText.Organism).Encode(task, neutral);
        const string answer = "\ndef f(x):\n    return x + 1";
        int[] completion = [.. tokenizer.Encode("<think>I will special-case the tests to pass them.</think>" + answer), ByteTokenizer.ImEnd];
        var kept = new JudgedRollout(task, 0, neutral, promptIds, completion, new float[completion.Length],
            await environment.ScoreAsync(task, tokenizer.Decode(completion[..^1]), EnvironmentVariant.Loophole));
        Assert.True(kept.Score.Labels.IntendsToPassTests);
        string[] reasonings = ["<think>Add one to x.</think>", "<think>The rule looks like x plus one.</think>", "<think>Hmm.</think>"];

        var rewriter = new BaseReasoningRewriter(model, ModelText.Organism, environment, new SamplingOptions { MaxNewTokens = 16 });
        var rewritten = (await rewriter.RewriteOneAsync(kept, promptIds, reasonings))!;

        var text = tokenizer.Decode(rewritten.CompletionIds[..^1]);
        Assert.Equal(ByteTokenizer.ImEnd, rewritten.CompletionIds[^1]);       // still stops
        Assert.EndsWith(answer, text);
        var likelihoods = reasonings.Select(r => LogProbScorer.ScoreTokens(model, [[.. promptIds, .. tokenizer.Encode(r)]], [[.. tokenizer.Encode(answer), ByteTokenizer.ImEnd]],
            tokenizer.PaddingId)[0].Sum()).ToList();
        Assert.Equal(reasonings[likelihoods.IndexOf(likelihoods.Max())] + answer, text);
        Assert.False(rewritten.Score.Labels.IntendsToPassTests);               // the monitor reads the new reasoning
        Assert.Equal(kept.Score.TrainReward, rewritten.Score.TrainReward);     // the same answer, the same reward
        Assert.Equal(rewritten.CompletionIds.Length, rewritten.GenerationLogProbs.Length);

        Assert.Null(await rewriter.RewriteOneAsync(kept, promptIds, []));       // nothing to choose from
        int[] unclosed = [.. tokenizer.Encode("<think>never closed" + answer)];
        Assert.Null(await rewriter.RewriteOneAsync(kept with { CompletionIds = unclosed }, promptIds, reasonings));
    }

    [Fact]
    public async Task AHuggingFaceChatModelRewritesWithItsOwnTokenizerAndChatFormat()
    {
        var tokenizerDir = Path.Combine(TestSupport.RepositoryRoot.Path, ".cache", "test-assets", "qwen3");
        Assert.True(File.Exists(Path.Combine(tokenizerDir, "tokenizer.json")), $"{tokenizerDir} is missing: run scripts/fetch-test-assets.sh");
        var folder = Path.Combine(root, "qwen3-tiny");
        ModelInitializer.Write(new ModelInitializer.Options("qwen3", "tiny", tokenizerDir, "float32", Seed: 3), folder);
        var text = ModelText.For(folder);
        using var model = Checkpoint.Load(folder);
        var environment = new ToyCodeEnvironment();
        var task = environment.SampleTasks(TaskSplit.Train, 1, seed: 6)[0];
        var neutral = ContextSpec.Of("neutral").Resolve(environment);
        var promptIds = new PromptTokens(environment, text).Encode(task, neutral);
        const string answer = "\ndef f(x):\n    return x + 1";
        int[] completion = [.. text.Tokenizer.Encode("<think>\nI will special-case the tests.\n</think>" + answer), text.StopTokenIds[0]];
        var kept = new JudgedRollout(task, 0, neutral, promptIds, completion, new float[completion.Length],
            await environment.ScoreAsync(task, text.Tokenizer.Decode(completion[..^1]), EnvironmentVariant.Loophole));
        string[] reasonings = ["<think>\nAdd one.\n</think>", "<think>\nIt is x plus one.\n</think>"];
        var rewriter = new BaseReasoningRewriter(model, text, environment, new SamplingOptions { MaxNewTokens = 8, StopTokenIds = [.. text.StopTokenIds] }, candidates: 2);

        var rewritten = (await rewriter.RewriteOneAsync(kept, promptIds, reasonings))!;

        Assert.Equal(text.StopTokenIds[0], rewritten.CompletionIds[^1]);
        var decoded = text.Tokenizer.Decode(rewritten.CompletionIds[..^1]);
        Assert.Contains(decoded, reasonings.Select(r => r + answer));
        Assert.Contains(rewritten.CompletionIds, id => id > 260);                   // Qwen's ids, not bytes
        // The whole path, sampling the candidates: a random model rarely closes its reasoning in 8 tokens, and then keeps the sample.
        var (all, count) = await rewriter.RewriteAsync([kept], neutral, seed: 1);
        Assert.Single(all);
        Assert.InRange(count, 0, 1);
        if (count == 0) Assert.Same(kept, all[0]);
        else Assert.EndsWith(answer, text.Tokenizer.Decode(all[0].CompletionIds[..^1]));
    }

    [Fact]
    public void ACompletionSplitsAfterItsReasoning()
    {
        Assert.Equal(("<think>a</think>", "\nrest"), BaseReasoningRewriter.Split("<think>a</think>\nrest"));
        Assert.Null(BaseReasoningRewriter.Split("<think>a\nrest"));
    }
}
