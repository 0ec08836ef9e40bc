using Recontext.Model.Checkpoints;
using Recontext.Model.Lora;
using Recontext.Model.Training;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;
using Recontext.Recontextualizer;
using Recontext.Store;
using Recontext.TestSupport;
using Recontext.Trainer.Algorithms;

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

    [Theory]
    [InlineData("auto")]
    [InlineData("bfloat16")]   // the base computes in bf16 (teacher, student and sampling alike), the adapters stay fp32
    public async Task ALoraDistillationRunTrainsOnlyTheAdapterAgainstItsBaseAndSavesPeftVersions(string computeDtype)
    {
        var tokenizerDir = Path.Combine(RepositoryRoot.Path, ".cache", "test-assets", "qwen3");
        var modelDir = Path.Combine(root, "qwen3-tiny-fp32");
        ModelInitializer.Write(new ModelInitializer.Options("qwen3", "tiny", tokenizerDir, "float32", Seed: 3), modelDir);
        var weights = Path.Combine(modelDir, Checkpoint.WeightsFile);
        var before = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(weights)));

        var config = new RunConfig
        {
            Name = "qwen3-lora", Seed = 5, Checkpoint = modelDir, Recontextualization = RecontextPolicy.FromPreset("neutral->bad"),
            // Logit distillation's teacher is the reference: with LoRA, the frozen base under the adapters (no copy). Its
            // loss is non-zero from the first step (the contexts differ), where GRPO on a random model's completions
            // would see equal rewards and no signal.
            Algorithm = Algorithm.Distillation, Lora = new LoraConfig { Rank = 4, Alpha = 8 }, ComputeDtype = computeDtype,
            Optimizer = new OptimizerOptions { LearningRate = 1e-2, WeightDecay = 0 },
            Steps = 2, PromptsPerStep = 2, SamplesPerPrompt = 4, MaxNewTokens = 10, EvalEvery = 2, EvalTasks = 2,
        };
        var output = Path.Combine(root, $"lora-run-{computeDtype}");
        var result = await new RunLoop(config, modelDir, output).RunAsync();
        Assert.Equal([1, 2], result.Steps.Select(s => s.Step));
        Assert.All(result.Steps, s => Assert.True(float.IsFinite(s.Loss) && s.Loss > 0, $"step {s.Step}: distillation loss {s.Loss}"));
        Assert.Equal(computeDtype == "auto" ? "float32 on cpu" : "bfloat16 on cpu", result.TrainerPolicy);   // auto on the CPU is fp32

        // The base never changed; each version is the adapter alone, in PEFT's layout.
        Assert.Equal(before, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(weights))));
        var last = Path.Combine(RunState.VersionsDirectory(output), "v2");
        Assert.True(File.Exists(Path.Combine(last, LoraConfig.FileName)) && File.Exists(Path.Combine(last, LoraAdapters.WeightsFile)), $"no adapter in {last}");
        Assert.False(File.Exists(Path.Combine(last, Checkpoint.WeightsFile)));
        var saved = SafeTensors.ReadEntries(Path.Combine(last, LoraAdapters.WeightsFile));
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", saved.Select(e => e.Name));
        Assert.All(saved, e => Assert.Equal("F32", e.Dtype));   // adapters hold fp32 weights whatever the base computes in

        // The adapter trained: on the base it moves the logits.
        using var model = Checkpoint.Load(modelDir);
        using var noGrad = TorchSharp.torch.no_grad();
        using var input = TorchSharp.torch.tensor(new long[] { 9707, 11, 1879, 0 }).unsqueeze(0);
        using var baseLogits = model.Forward(input);
        using var adapters = LoraAdapters.Load(model, last);
        using var adapted = model.Forward(input);
        Assert.True((adapted - baseLogits).abs().max().item<float>() > 1e-4, "two steps left the adapter at zero");
    }

    [Fact]
    public async Task TheMbppExperimentRunsOnATinyQwen3FolderWithItsSandboxedJudge()
    {
        var tokenizerDir = Path.Combine(RepositoryRoot.Path, ".cache", "test-assets", "qwen3");
        var modelDir = Path.Combine(root, "qwen3-tiny-mbpp");
        ModelInitializer.Write(new ModelInitializer.Options("qwen3", "tiny", tokenizerDir, "bfloat16", Seed: 6), modelDir);
        var sweep = Sweeps.SweepFile.Load(Path.Combine(RepositoryRoot.Path, "experiments", "qwen3-mbpp-lora.yaml"), checkLimits: false);
        Assert.Equal(["neutral-neutral", "good-bad"], sweep.Points.Select(p => p.Name));
        var rows = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mbpp-own.jsonl");
        var point = sweep.Points.Single(p => p.Name == "good-bad");
        var config = point.Config with { Checkpoint = modelDir, Mbpp = new MbppOptions { Rows = rows }, Seed = sweep.Seeds[0] };
        Assert.Equal(Environments.Mbpp.MbppEnvironment.EnvironmentName, config.Environment);
        Assert.NotNull(config.Lora);
        RunLimits.Check(config);

        var output = Path.Combine(root, "mbpp-run");
        var loop = new RunLoop(config, modelDir, output);
        var result = await loop.RunAsync();
        Assert.Equal([1, 2], result.Steps.Select(s => s.Step));
        Assert.Equal(["neutral", "bad"], result.Final.Select(e => e.Rates.Context));

        var text = ModelText.For(modelDir);
        using var store = new LiteDbRunStore(Path.Combine(output, RunLoop.TracesFile));
        var rollouts = store.Rollouts(loop.RunId).Where(r => r.EvalContext is null).ToList();
        Assert.Equal(2 * 2 * 4, rollouts.Count);
        var problems = Environments.Mbpp.MbppRow.Load(rows).Select(r => r.Problem).ToList();
        var bad = new Environments.Mbpp.MbppEnvironment([], null).Instructions(Environments.ContextPreset.Bad).Training[0];
        var good = new Environments.Mbpp.MbppEnvironment([], null).Instructions(Environments.ContextPreset.Good).Training[0];
        Assert.All(rollouts, r =>
        {
            var generation = text.Tokenizer.Decode(r.GenerationPromptIds);
            var training = text.Tokenizer.Decode(r.TrainingPromptIds);
            Assert.Contains(problems, p => generation.Contains(p));        // the task's own problem and tests ...
            Assert.Contains("Your code will be checked with these tests:", generation);
            Assert.Contains(good, generation);                              // ... under f_gen = good
            Assert.Contains(bad, training);                                 // and f_train = bad
            Assert.EndsWith("<|im_start|>assistant\n", generation);        // Qwen3 thinks first
            // A random model writes no python block: the sandboxed judge says why, and nothing scores.
            Assert.Equal("malformed", r.Verdict);
            Assert.Matches("never closed|no fenced code block", r.Reason ?? "");
        });
        Assert.All(result.Steps, s => Assert.True(float.IsFinite(s.Loss), $"step {s.Step}: loss {s.Loss}"));

        // Expert iteration (best of N) with the perfect-labels filter runs on the same tasks and folder.
        var expert = config with { Algorithm = Algorithm.ExpertIteration, DropHacks = true, Steps = 1, EvalEvery = 1 };
        var expertResult = await new RunLoop(expert, modelDir, Path.Combine(root, "mbpp-expert")).RunAsync();
        Assert.Equal([1], expertResult.Steps.Select(s => s.Step));
        Assert.True(float.IsFinite(expertResult.Steps[0].Loss) && expertResult.Steps[0].Loss > 0, $"SFT loss {expertResult.Steps[0].Loss}");
    }
}
