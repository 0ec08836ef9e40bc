using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recontext.Model;

/// <summary>
/// Shape of a decoder-only transformer in the Llama / Qwen2 / Qwen3 family. Property names on the wire are
/// those of a Hugging Face <c>config.json</c>, so a real checkpoint's config loads unchanged (unknown HF fields
/// are ignored).
/// </summary>
public sealed record TransformerConfig
{
    /// <summary>HF <c>model_type</c>: "qwen3" (per-head q/k RMSNorm), "qwen2" or "llama".</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "qwen3";

    /// <summary>Number of token ids the embedding and the output head cover.</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 260;

    /// <summary>Width of the residual stream (d_model).</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 128;

    /// <summary>Width of the SwiGLU MLP's hidden layer.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 384;

    /// <summary>Number of decoder layers.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 4;

    /// <summary>Number of query heads.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 4;

    /// <summary>Number of key/value heads (grouped-query attention); must divide the query heads.</summary>
    [JsonPropertyName("num_key_value_heads")] public int NumKeyValueHeads { get; init; } = 2;

    /// <summary>Width of one attention head; when absent, hidden_size / num_attention_heads.</summary>
    [JsonPropertyName("head_dim"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? HeadDimOverride { get; init; }

    /// <summary>Base of the rotary position embedding's frequencies.</summary>
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;

    /// <summary>Epsilon inside every RMSNorm's square root.</summary>
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-6;

    /// <summary>Longest sequence (prompt + completion, in tokens) the model is meant to see.</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 512;

    /// <summary>When true the output head reuses the embedding matrix and no <c>lm_head.weight</c> exists.</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Whether q/k/v projections carry a bias, as written. HF's Qwen2 config has no such field (Qwen2 always
    /// has them); Llama's and Qwen3's do (default false). Read <see cref="AttentionBias"/>.</summary>
    [JsonPropertyName("attention_bias"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? AttentionBiasOverride { get; init; }

    /// <summary>Whether q/k/v projections carry a bias: the config's word, else the family's (Qwen2 yes, others no).</summary>
    [JsonIgnore] public bool AttentionBias => AttentionBiasOverride ?? ModelType == "qwen2";

    /// <summary>
    /// Qwen3's per-head RMSNorm on queries and keys (<c>self_attn.q_norm</c>, <c>self_attn.k_norm</c>).
    /// HF configs do not spell it out; when absent it follows <see cref="ModelType"/> == "qwen3".
    /// </summary>
    [JsonPropertyName("use_qk_norm"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? UseQkNormOverride { get; init; }

    /// <summary>How rotary frequencies are stretched (Llama 3.1/3.2); null for none.</summary>
    [JsonPropertyName("rope_scaling")] public RopeScaling? RopeScaling { get; init; }

    /// <summary>Ids that end generation: one (Qwen3: 151645) or several (Llama 3.1 Instruct: end of text, eom, eot).</summary>
    [JsonPropertyName("eos_token_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public TokenIds? EosTokenIds { get; init; }

    /// <summary>The first end-of-sequence id, when the config names one; setting it names just that one.</summary>
    [JsonIgnore]
    public int? EosTokenId
    {
        get => EosTokenIds?.First;
        init => EosTokenIds = value is int id ? new TokenIds([id]) : null;
    }

    /// <summary>Id of the beginning-of-sequence token, when the family has one (Llama 3: 128000).</summary>
    [JsonPropertyName("bos_token_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? BosTokenId { get; init; }

    /// <summary>The families this model implements, by HF <c>model_type</c>, with the class HF's own loader builds.</summary>
    public static readonly IReadOnlyDictionary<string, string> Architectures = new Dictionary<string, string>
    {
        ["qwen3"] = "Qwen3ForCausalLM", ["qwen2"] = "Qwen2ForCausalLM", ["llama"] = "LlamaForCausalLM",
    };

    [JsonIgnore] public int HeadDim => HeadDimOverride ?? HiddenSize / NumAttentionHeads;

    [JsonIgnore] public bool UseQkNorm => UseQkNormOverride ?? ModelType == "qwen3";

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public TransformerConfig Validate()
    {
        if (!Architectures.ContainsKey(ModelType))
            throw new ArgumentException($"model_type '{ModelType}' is not supported; supported: {string.Join(", ", Architectures.Keys)}");
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(NumKeyValueHeads, "num_key_value_heads");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        if (NumAttentionHeads % NumKeyValueHeads != 0)
            throw new ArgumentException(
                $"num_attention_heads ({NumAttentionHeads}) must be a multiple of num_key_value_heads ({NumKeyValueHeads})");
        if (HeadDimOverride is null && HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException(
                $"hidden_size ({HiddenSize}) must be a multiple of num_attention_heads ({NumAttentionHeads}) when head_dim is absent");
        if (HeadDim <= 0 || HeadDim % 2 != 0)
            throw new ArgumentException($"head_dim must be a positive even number (rotary embeddings rotate pairs), got {HeadDim}");
        if (RopeTheta <= 0) throw new ArgumentException($"rope_theta must be positive, got {RopeTheta}");
        if (RmsNormEps <= 0) throw new ArgumentException($"rms_norm_eps must be positive, got {RmsNormEps}");
        RopeScaling?.Validate();
        foreach (var id in EosTokenIds?.Ids ?? [])
            if (id < 0 || id >= VocabSize) throw new ArgumentException($"eos_token_id {id} is outside the vocabulary (vocab_size {VocabSize})");
        if (BosTokenId is int bos && (bos < 0 || bos >= VocabSize)) throw new ArgumentException($"bos_token_id {bos} is outside the vocabulary (vocab_size {VocabSize})");
        return this;
    }

    static void Positive(int value, string field)
    {
        if (value <= 0) throw new ArgumentException($"{field} must be positive, got {value}");
    }

    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>
    /// The model's <c>config.json</c> as Hugging Face writes one for its family: the class to build
    /// (<c>architectures</c>), <c>head_dim</c> always a number, the activation, and no field of our own, so HF's loader
    /// builds the same model. Q/K normalisation is not a field there but follows the family (Qwen3 has it, Qwen2 and
    /// Llama do not): a config that departs from its family cannot be written as one.
    /// </summary>
    /// <param name="torchDtype">the dtype the weights are stored in, as HF names it: "float32", "bfloat16" or "float16"</param>
    /// <exception cref="InvalidOperationException">the q/k normalisation departs from the family's</exception>
    public string ToJson(string torchDtype = "float32")
    {
        Validate();
        if (UseQkNorm != (ModelType == "qwen3"))
            throw new InvalidOperationException($"use_qk_norm {UseQkNorm} departs from model_type '{ModelType}' (q/k norm: {ModelType == "qwen3"}); a Hugging Face " +
                                                "config.json cannot say so: give the family that matches");
        if (ModelType == "qwen2" && !AttentionBias)
            throw new InvalidOperationException("attention_bias false departs from model_type 'qwen2' (Hugging Face's Qwen2 always has q/k/v biases)");
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["architectures"] = new System.Text.Json.Nodes.JsonArray(Architectures[ModelType]),
            ["model_type"] = ModelType,
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["head_dim"] = HeadDim,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["attention_bias"] = AttentionBias,
            ["torch_dtype"] = torchDtype,
            ["use_cache"] = true,
        };
        if (RopeScaling is { } scaling) json["rope_scaling"] = JsonSerializer.SerializeToNode(scaling, JsonOptions);
        if (BosTokenId is int bos) json["bos_token_id"] = bos;
        if (EosTokenIds is { } eos) json["eos_token_id"] = JsonSerializer.SerializeToNode(eos, JsonOptions);
        return json.ToJsonString(JsonOptions);
    }

    /// <summary>Parses a HF <c>config.json</c>; fields this model does not use are ignored.</summary>
    public static TransformerConfig FromJson(string json)
    {
        TransformerConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<TransformerConfig>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"config.json is not valid: {e.Message}", e);
        }
        return (config ?? throw new ArgumentException("config.json is empty")).Validate();
    }
}
