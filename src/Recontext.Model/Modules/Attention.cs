using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Modules;

/// <summary>
/// Grouped-query self-attention with rotary embeddings and, for Qwen3, a per-head RMSNorm on queries and keys
/// (applied before the rotation, as in the reference implementation).
/// </summary>
public sealed class Attention : nn.Module
{
    readonly Projection q_proj;
    readonly Projection k_proj;
    readonly Projection v_proj;
    readonly Projection o_proj;
    readonly RmsNorm? q_norm;
    readonly RmsNorm? k_norm;

    readonly int heads;
    readonly int kvHeads;
    readonly int headDim;

    public Attention(string name, TransformerConfig config) : base(name)
    {
        heads = config.NumAttentionHeads;
        kvHeads = config.NumKeyValueHeads;
        headDim = config.HeadDim;
        q_proj = new Projection("q_proj", config.HiddenSize, heads * headDim, hasBias: config.AttentionBias);
        k_proj = new Projection("k_proj", config.HiddenSize, kvHeads * headDim, hasBias: config.AttentionBias);
        v_proj = new Projection("v_proj", config.HiddenSize, kvHeads * headDim, hasBias: config.AttentionBias);
        o_proj = new Projection("o_proj", heads * headDim, config.HiddenSize, hasBias: false);
        if (config.UseQkNorm)
        {
            q_norm = new RmsNorm("q_norm", headDim, config.RmsNormEps);
            k_norm = new RmsNorm("k_norm", headDim, config.RmsNormEps);
        }
        RegisterComponents();
    }

    /// <param name="x">[B, T, C]</param>
    /// <param name="cos">[B, 1, T, D] rotary cosines of the new tokens' positions</param>
    /// <param name="sin">[B, 1, T, D]</param>
    /// <param name="mask">additive [B, 1, T, S] (0 or -inf), or null for plain causal attention</param>
    /// <param name="cache">keys/values of earlier tokens, extended in place; null without caching</param>
    /// <returns>[B, T, C]</returns>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, IKeyValueCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], tokens = x.shape[1];

        var q = q_proj.forward(x).view(batch, tokens, heads, headDim);      // [B, T, H, D]
        var k = k_proj.forward(x).view(batch, tokens, kvHeads, headDim);    // [B, T, Hkv, D]
        var v = v_proj.forward(x).view(batch, tokens, kvHeads, headDim);
        if (q_norm is not null && k_norm is not null)
        {
            q = q_norm.forward(q);
            k = k_norm.forward(k);
        }
        q = RotaryEmbedding.Apply(q.transpose(1, 2), cos, sin);             // [B, H, T, D]
        k = RotaryEmbedding.Apply(k.transpose(1, 2), cos, sin);             // [B, Hkv, T, D]
        v = v.transpose(1, 2);

        if (cache is not null) (k, v) = cache.Append(layer, k, v);          // [B, Hkv, S, D]
        if (kvHeads != heads)
        {
            k = k.repeat_interleave(heads / kvHeads, dim: 1);               // [B, H, S, D]
            v = v.repeat_interleave(heads / kvHeads, dim: 1);
        }

        // Without a mask: causal when queries and keys are the same tokens; a single new token may see all keys.
        bool causal = mask is null && tokens > 1;
        var attended = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask, is_casual: causal);
        var merged = attended.transpose(1, 2).reshape(batch, tokens, heads * headDim);    // [B, T, H*D]
        return o_proj.forward(merged).MoveToOuterDisposeScope();
    }
}
