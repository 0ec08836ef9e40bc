namespace Recontext.Model.Tests;

public class ConfigTests
{
    [Fact]
    public void HuggingFaceConfigJsonLoadsAndUnknownFieldsAreIgnored()
    {
        const string json = """
            {"architectures":["Qwen3ForCausalLM"],"model_type":"qwen3","vocab_size":151936,"hidden_size":1024,
             "intermediate_size":3072,"num_hidden_layers":28,"num_attention_heads":16,"num_key_value_heads":8,
             "head_dim":128,"rope_theta":1000000,"rms_norm_eps":1e-06,"max_position_embeddings":40960,
             "tie_word_embeddings":true,"attention_bias":false,"torch_dtype":"bfloat16","eos_token_id":151645}
            """;
        var config = TransformerConfig.FromJson(json);
        Assert.Equal(128, config.HeadDim);
        Assert.True(config.UseQkNorm);
        Assert.Equal(1_000_000, config.RopeTheta);
        Assert.Equal(151645, config.EosTokenId);
        Assert.Equal(config, TransformerConfig.FromJson(config.ToJson()));
    }

    [Fact]
    public void InvalidConfigNamesTheField()
    {
        var bad = TinyModels.Qwen3Style() with { NumKeyValueHeads = 3 };
        Assert.Contains("num_key_value_heads", Assert.Throws<ArgumentException>(() => bad.Validate()).Message);
        Assert.Contains("hidden_size", Assert.Throws<ArgumentException>(() => (TinyModels.Qwen3Style() with { HiddenSize = 0 }).Validate()).Message);
        Assert.Contains("head_dim", Assert.Throws<ArgumentException>(() => (TinyModels.Qwen3Style() with { HeadDimOverride = 7 }).Validate()).Message);
        Assert.Contains("config.json", Assert.Throws<ArgumentException>(() => TransformerConfig.FromJson("{not json")).Message);
    }
}
