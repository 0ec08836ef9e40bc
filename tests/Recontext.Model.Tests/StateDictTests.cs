using Recontext.Model.Modules;

namespace Recontext.Model.Tests;

public class StateDictTests
{
    /// <summary>What a Hugging Face Qwen3ForCausalLM with this config stores, key by key.</summary>
    static IEnumerable<(string Key, long[] Shape)> ExpectedQwen3Keys(TransformerConfig c)
    {
        long q = c.NumAttentionHeads * c.HeadDim, kv = c.NumKeyValueHeads * c.HeadDim;
        yield return ("model.embed_tokens.weight", [c.VocabSize, c.HiddenSize]);
        for (int i = 0; i < c.NumHiddenLayers; i++)
        {
            var p = $"model.layers.{i}.";
            yield return (p + "input_layernorm.weight", [c.HiddenSize]);
            yield return (p + "self_attn.q_proj.weight", [q, c.HiddenSize]);
            yield return (p + "self_attn.k_proj.weight", [kv, c.HiddenSize]);
            yield return (p + "self_attn.v_proj.weight", [kv, c.HiddenSize]);
            yield return (p + "self_attn.o_proj.weight", [c.HiddenSize, q]);
            yield return (p + "self_attn.q_norm.weight", [c.HeadDim]);
            yield return (p + "self_attn.k_norm.weight", [c.HeadDim]);
            yield return (p + "post_attention_layernorm.weight", [c.HiddenSize]);
            yield return (p + "mlp.gate_proj.weight", [c.IntermediateSize, c.HiddenSize]);
            yield return (p + "mlp.up_proj.weight", [c.IntermediateSize, c.HiddenSize]);
            yield return (p + "mlp.down_proj.weight", [c.HiddenSize, c.IntermediateSize]);
        }
        yield return ("model.norm.weight", [c.HiddenSize]);
        if (!c.TieWordEmbeddings) yield return ("lm_head.weight", [c.VocabSize, c.HiddenSize]);
    }

    static Dictionary<string, long[]> Actual(CausalLm model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Qwen3StyleKeysAndShapesEqualHuggingFaceNames(bool tied)
    {
        var config = TinyModels.Qwen3Style(tied);
        using var model = new CausalLm(config);
        var expected = ExpectedQwen3Keys(config).ToDictionary(e => e.Key, e => e.Shape);
        var actual = Actual(model);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in expected) Assert.True(shape.SequenceEqual(actual[key]), $"{key}: expected [{string.Join(",", shape)}], got [{string.Join(",", actual[key])}]");
        Assert.Equal(tied ? 24 : 25, actual.Count);
    }

    [Fact]
    public void Qwen2StyleHasBiasesAndNoQkNorm()
    {
        var config = TinyModels.Qwen3Style() with { ModelType = "qwen2" };
        using var model = new CausalLm(config);
        var keys = Actual(model);
        Assert.Equal([config.NumAttentionHeads * config.HeadDim], keys["model.layers.0.self_attn.q_proj.bias"]);
        Assert.Equal([config.NumKeyValueHeads * config.HeadDim], keys["model.layers.1.self_attn.v_proj.bias"]);
        Assert.DoesNotContain("model.layers.0.self_attn.q_norm.weight", keys.Keys);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", keys.Keys);
    }
}
