using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Recontext.Model.Tests;

/// <summary>
/// Our forward pass against an independent PyTorch one (tests/reference/causal_lm_reference.py) on folders that
/// <c>model init</c> writes: each family, fp32 and bf16 storage, tied and untied embeddings, grouped-query attention,
/// Llama 3 rope scaling, one file and shards. Weights are drawn wider than Hugging Face's 0.02 and the norms and biases
/// (which start at one and zero) are randomised, so that attention is sharp, positions matter and every weight counts.
/// </summary>
public sealed class ReferenceParityTests(ParityFolders folders, ITestOutputHelper output) : IClassFixture<ParityFolders>
{
    const double Tolerance = 1e-4;

    public static TheoryData<string, string, bool, bool> Folders => new()
    {
        { "qwen3", "float32", true, false },
        { "qwen3", "bfloat16", false, false },
        { "qwen2", "bfloat16", true, false },
        { "llama", "float32", false, false },
        { "llama", "bfloat16", true, true },
    };

    [Theory]
    [MemberData(nameof(Folders))]
    public void LogitsAndGreedyContinuationsEqualTheReference(string family, string dtype, bool tied, bool sharded)
    {
        var dir = folders.Get(family, dtype, tied, sharded);
        var ids = PromptIds(family, 64);
        using var reference = ReferenceModel.Run(dir, ids, greedy: 32, rows: 16);
        using var pretrained = PretrainedModel.Load(dir);
        var model = pretrained.Model;

        using (no_grad())
        {
            using var input = tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0);
            using var logits = model.Forward(input).squeeze(0).narrow(0, ids.Length - 16, 16);
            double difference = (logits - reference.Logits).abs().max().item<float>();
            output.WriteLine($"{family} {dtype} {(tied ? "tied" : "untied")}{(sharded ? " sharded" : "")}: max |logit difference| {difference:G3}");
            Assert.True(difference <= Tolerance, $"{family} {dtype}: max |logit difference| {difference:G3} > {Tolerance}");
        }

        var generator = new TextGenerator(model, pretrained.Tokenizer);
        var greedy = generator.Generate([ids], new SamplingOptions { Temperature = 0, MaxNewTokens = 32 })[0].TokenIds.Select(i => (long)i).ToArray();
        Assert.Equal(reference.Greedy, greedy);
        // A tied random model tends to repeat its input token; an untied one must show the continuation is not trivial.
        Assert.True(tied || greedy.Distinct().Count() > 1, "an untied model's greedy continuation should not repeat one token");
    }

    /// <summary>The comparison can fail: each piece broken in the reference moves the logits far past the tolerance.</summary>
    [Theory]
    [InlineData("qwen3", "rope-index")]
    [InlineData("qwen3", "kv-tiled")]
    [InlineData("qwen3", "no-qk-norm")]
    [InlineData("llama", "no-rope-scaling")]
    [InlineData("llama", "norm-eps")]
    public void ABrokenReferenceIsCaught(string family, string mutation)
    {
        var dir = family == "llama" ? folders.Get("llama", "float32", false, false) : folders.Get("qwen3", "float32", true, false);
        var ids = PromptIds(family, 64);
        using var reference = ReferenceModel.Run(dir, ids, greedy: 0, rows: 16, mutate: mutation);
        using var model = Checkpoint.Load(dir);
        using var noGrad = no_grad();
        using var input = tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0);
        using var logits = model.Forward(input).squeeze(0).narrow(0, ids.Length - 16, 16);
        double difference = (logits - reference.Logits).abs().max().item<float>();
        output.WriteLine($"{family} with {mutation}: max |logit difference| {difference:G3}");
        Assert.True(difference > 100 * Tolerance, $"{mutation}: max |logit difference| {difference:G3} would pass the check");
    }

    /// <summary>Every tensor name and shape equals Hugging Face's for the family (the reference reads them by HF's
    /// names and refuses unused ones; this checks the list itself).</summary>
    [Theory]
    [InlineData("qwen3", 25)]
    [InlineData("qwen2", 26)]
    [InlineData("llama", 21)]
    public void StateDictKeysAreHuggingFaces(string family, int tensors)
    {
        var dir = family switch
        {
            "qwen3" => folders.Get("qwen3", "bfloat16", false, false),
            "qwen2" => folders.Get("qwen2", "bfloat16", true, false),
            _ => folders.Get("llama", "float32", false, false),
        };
        var entries = ModelFolder.Read(dir).Tensors.Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        var perLayer = family switch
        {
            "qwen3" => new[] { "input_layernorm.weight", "mlp.down_proj.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight", "post_attention_layernorm.weight",
                               "self_attn.k_norm.weight", "self_attn.k_proj.weight", "self_attn.o_proj.weight", "self_attn.q_norm.weight", "self_attn.q_proj.weight", "self_attn.v_proj.weight" },
            "qwen2" => ["input_layernorm.weight", "mlp.down_proj.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight", "post_attention_layernorm.weight",
                        "self_attn.k_proj.bias", "self_attn.k_proj.weight", "self_attn.o_proj.weight", "self_attn.q_proj.bias", "self_attn.q_proj.weight",
                        "self_attn.v_proj.bias", "self_attn.v_proj.weight"],
            _ => ["input_layernorm.weight", "mlp.down_proj.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight", "post_attention_layernorm.weight",
                  "self_attn.k_proj.weight", "self_attn.o_proj.weight", "self_attn.q_proj.weight", "self_attn.v_proj.weight"],
        };
        var expected = new List<string> { "model.embed_tokens.weight", "model.norm.weight" };
        if (family != "qwen2") expected.Add("lm_head.weight");
        for (int layer = 0; layer < 2; layer++) expected.AddRange(perLayer.Select(p => $"model.layers.{layer}.{p}"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), entries);
        Assert.Equal(tensors, entries.Count);
    }

    static int[] PromptIds(string family, int length)
    {
        var random = new Random(17);
        return Enumerable.Range(0, length).Select(_ => random.Next(0, family == "llama" ? 128000 : 151643)).ToArray();
    }
}

/// <summary>The random model folders the parity tests compare on, each written once for the class.</summary>
public sealed class ParityFolders : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-parity-").FullName;
    readonly Dictionary<string, string> written = [];

    public void Dispose() => Directory.Delete(root, recursive: true);

    public string Get(string family, string dtype, bool tied, bool sharded)
    {
        var name = $"{family}-{dtype}-{(tied ? "tied" : "untied")}{(sharded ? "-sharded" : "")}";
        if (!written.TryGetValue(name, out var dir)) written[name] = dir = Write(Path.Combine(root, name), family, dtype, tied, sharded);
        return dir;
    }

    static string Write(string dir, string family, string dtype, bool tied, bool sharded)
    {
        var tokenizer = TokenizerTests.TokenizerFolder(ModelPresets.TokenizerAsset(family));
        var options = new ModelInitializer.Options(family, "tiny", tokenizer, dtype, Seed: 5, TieEmbeddings: tied,
            MaxShardBytes: sharded ? 4L << 20 : null, InitStd: 0.08);
        ModelInitializer.Write(options, dir);
        using (var model = Checkpoint.Load(dir))
        {
            RandomizeNormsAndBiases(model);
            Checkpoint.Save(model, dir, dtype, options.MaxShardBytes);
        }
        if (sharded) Assert.True(File.Exists(Path.Combine(dir, Checkpoint.ShardIndexFile)) && !File.Exists(Path.Combine(dir, Checkpoint.WeightsFile)));
        return dir;
    }

    static void RandomizeNormsAndBiases(CausalLm model)
    {
        using var noGrad = no_grad();
        var generator = new Generator(11);
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.Contains("norm", StringComparison.Ordinal)) parameter.copy_(1 + 0.5 * randn(parameter.shape, generator: generator));
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.copy_(0.5 * randn(parameter.shape, generator: generator));
        }
    }
}
