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
    public void Llama31ConfigWithRopeScalingAndSeveralEndIdsLoads()
    {
        const string json = """
            {"architectures":["LlamaForCausalLM"],"model_type":"llama","vocab_size":128256,"hidden_size":4096,"intermediate_size":14336,
             "num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,"rope_theta":500000.0,"rms_norm_eps":1e-05,
             "max_position_embeddings":131072,"tie_word_embeddings":false,"attention_bias":false,"bos_token_id":128000,
             "eos_token_id":[128001,128008,128009],"torch_dtype":"bfloat16",
             "rope_scaling":{"factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":8192,"rope_type":"llama3"}}
            """;
        var config = TransformerConfig.FromJson(json);
        Assert.Equal([128001, 128008, 128009], config.EosTokenIds!.Ids);
        Assert.Equal(128001, config.EosTokenId);
        Assert.Equal(RopeScaling.Llama31, config.RopeScaling);
        Assert.Equal(128, config.HeadDim);
        Assert.Equal(config with { HeadDimOverride = 128 }, TransformerConfig.FromJson(config.ToJson()));   // written out, as HF writes it

        // Llama 3's rule: short wavelengths kept, long ones divided by the factor, the band between blended.
        var scaling = config.RopeScaling!;
        Assert.Equal(1.0, scaling.Apply(1.0));
        Assert.Equal(1e-5 / 8, scaling.Apply(1e-5), 12);
        double middle = 2 * Math.PI / 4096;   // wavelength 4096, between 8192/4 and 8192/1
        Assert.InRange(scaling.Apply(middle), middle / 8, middle);

        Assert.Contains("rope_scaling.rope_type 'yarn' is not supported; supported: default, llama3",
            Assert.Throws<ArgumentException>(() => TransformerConfig.FromJson(json.Replace("\"llama3\"}", "\"yarn\"}"))).Message);
        Assert.Contains("eos_token_id 200000 is outside the vocabulary",
            Assert.Throws<ArgumentException>(() => TransformerConfig.FromJson(json.Replace("128009]", "200000]"))).Message);
        Assert.Contains("config.json is not valid", Assert.Throws<ArgumentException>(() => TransformerConfig.FromJson(json.Replace("[128001,128008,128009]", "\"x\""))).Message);
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

/// <summary>The config.json every model folder the project writes is one Hugging Face's loader reads as the same
/// model: its family's class, numbers where HF expects numbers, no field of our own.</summary>
public class WrittenConfigTests
{
    /// <summary>The fields HF's Qwen3/Qwen2/Llama configs define (PretrainedConfig's common ones included).</summary>
    static readonly HashSet<string> HuggingFaceFields =
    [
        "architectures", "model_type", "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
        "num_key_value_heads", "head_dim", "hidden_act", "max_position_embeddings", "rms_norm_eps", "rope_theta", "tie_word_embeddings",
        "attention_bias", "torch_dtype", "use_cache", "eos_token_id", "bos_token_id", "pad_token_id", "rope_scaling",
    ];

    [Theory]
    [InlineData("qwen3", "Qwen3ForCausalLM")]
    [InlineData("qwen2", "Qwen2ForCausalLM")]
    [InlineData("llama", "LlamaForCausalLM")]
    public void AWrittenConfigHasOnlyHuggingFaceFieldsAndNoNulls(string family, string architecture)
    {
        // head_dim left to its default: written as the number HF would otherwise have to guess.
        var config = TinyModels.Qwen3Style() with { ModelType = family, HeadDimOverride = null };
        var json = System.Text.Json.JsonDocument.Parse(config.ToJson()).RootElement;
        Assert.All(json.EnumerateObject(), p => Assert.Contains(p.Name, HuggingFaceFields));
        Assert.DoesNotContain(json.EnumerateObject(), p => p.Value.ValueKind == System.Text.Json.JsonValueKind.Null);
        Assert.Equal(architecture, json.GetProperty("architectures")[0].GetString());
        Assert.Equal(config.HiddenSize / config.NumAttentionHeads, json.GetProperty("head_dim").GetInt32());
        var back = TransformerConfig.FromJson(config.ToJson());
        Assert.Equal((config.HeadDim, config.UseQkNorm, config.TieWordEmbeddings), (back.HeadDim, back.UseQkNorm, back.TieWordEmbeddings));
    }

    [Fact]
    public void QkvBiasesFollowTheFamilyWhenTheConfigIsSilent()
    {
        const string shape = "\"vocab_size\":10,\"hidden_size\":8,\"num_attention_heads\":2,\"num_key_value_heads\":1,\"intermediate_size\":16,\"num_hidden_layers\":1";
        // HF's Qwen2 config has no attention_bias field: Qwen2 always has the biases.
        Assert.True(TransformerConfig.FromJson($$"""{"model_type":"qwen2",{{shape}}}""").AttentionBias);
        Assert.False(TransformerConfig.FromJson($$"""{"model_type":"llama",{{shape}}}""").AttentionBias);
        Assert.True(TransformerConfig.FromJson($$"""{"model_type":"llama","attention_bias":true,{{shape}}}""").AttentionBias);
        Assert.False(TransformerConfig.FromJson($$"""{"model_type":"qwen3",{{shape}}}""").AttentionBias);
        using var qwen2 = new Modules.CausalLm(TransformerConfig.FromJson($$"""{"model_type":"qwen2",{{shape}}}"""));
        Assert.Contains("model.layers.0.self_attn.q_proj.bias", qwen2.state_dict().Keys);
        Assert.Contains("attention_bias false departs from model_type 'qwen2'",
            Assert.Throws<InvalidOperationException>(() => (TinyModels.Qwen3Style() with { ModelType = "qwen2", AttentionBiasOverride = false }).ToJson()).Message);
    }

    [Fact]
    public void AConfigThatDepartsFromItsFamilyOrAnUnknownFamilyIsRefusedByName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => (TinyModels.Qwen3Style() with { UseQkNormOverride = false }).ToJson());
        Assert.Contains("use_qk_norm False departs from model_type 'qwen3'", error.Message);
        var unknown = Assert.Throws<ArgumentException>(() => TransformerConfig.FromJson("""{"model_type":"mistral","vocab_size":10,"hidden_size":8,"num_attention_heads":2,"num_key_value_heads":1}"""));
        Assert.Equal("model_type 'mistral' is not supported; supported: qwen3, qwen2, llama", unknown.Message);
    }
}
