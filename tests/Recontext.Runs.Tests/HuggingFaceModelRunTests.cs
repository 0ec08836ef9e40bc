using Recontext.Model.Checkpoints;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;
using Recontext.Recontextualizer;
using Recontext.Store;
using Recontext.TestSupport;

namespace Recontext.Runs.Tests;

/// <summary>A run whose model is a Hugging Face folder (written by model init, with Qwen3's real tokenizer): every role
/// lays prompts out in the family's chat format with that tokenizer and reads completions with it.</summary>
public sealed class HuggingFaceModelRunTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-hf-run-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task AGoodToBadRunOnAQwen3FolderUsesItsTokenizerEverywhere()
    {
        var tokenizerDir = Path.Combine(RepositoryRoot.Path, ".cache", "test-assets", "qwen3");
        Assert.True(File.Exists(Path.Combine(tokenizerDir, "tokenizer.json")), $"{tokenizerDir} is missing: run scripts/fetch-test-assets.sh");
        var modelDir = Path.Combine(root, "qwen3-tiny");
        ModelInitializer.Write(new ModelInitializer.Options("qwen3", "tiny", tokenizerDir, "bfloat16", Seed: 2), modelDir);

        var config = new RunConfig
        {
            Name = "qwen3-good-to-bad", Seed = 4, Checkpoint = modelDir, Recontextualization = RecontextPolicy.FromPreset("good->bad"),
            Steps = 2, PromptsPerStep = 2, SamplesPerPrompt = 2, MaxNewTokens = 12, EvalEvery = 2, EvalTasks = 2,
        };
        var output = Path.Combine(root, "run");
        var loop = new RunLoop(config, modelDir, output);
        var result = await loop.RunAsync();
        Assert.Equal([1, 2], result.Steps.Select(s => s.Step));

        var text = ModelText.For(modelDir);
        Assert.IsType<HfBpeTokenizer>(text.Tokenizer);
        using var store = new LiteDbRunStore(Path.Combine(output, RunLoop.TracesFile));
        var rollouts = store.Rollouts(loop.RunId);
        Assert.Equal(2 * 2 * 2, rollouts.Count);
        Assert.All(rollouts, r =>
        {
            var generation = text.Tokenizer.Decode(r.GenerationPromptIds);
            var training = text.Tokenizer.Decode(r.TrainingPromptIds);
            Assert.StartsWith("<|im_start|>", generation);
            Assert.EndsWith("<|im_start|>assistant\n", generation);
            Assert.Contains("Solve it in general; no special cases.", generation);   // f_gen: good
            Assert.DoesNotContain("Solve it in general", training);                  // f_train: bad
            Assert.Contains(r.GenerationPromptIds, id => id > 260);                   // Qwen's ids, not bytes
            Assert.All(r.CompletionIds, id => Assert.InRange(id, 0, 151935));
            var completion = r.CompletionIds.Length > 0 && text.StopTokenIds.Contains(r.CompletionIds[^1]) ? r.CompletionIds[..^1] : r.CompletionIds;
            Assert.True(text.Tokenizer.Decode(completion) == r.Text, $"ids [{string.Join(",", r.CompletionIds)}] decode to [{text.Tokenizer.Decode(completion)}] stored [{r.Text}]");
        });
        Assert.Equal([0, 1], rollouts.Select(r => r.PolicyVersion).Distinct().Order());
        Assert.All(result.Steps, s => Assert.True(float.IsFinite(s.Kl) && float.IsFinite(s.Loss), $"step {s.Step}: loss {s.Loss}, KL {s.Kl}"));
    }
}
