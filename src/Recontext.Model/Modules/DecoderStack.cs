using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Modules;

/// <summary>
/// The transformer body, Hugging Face's <c>model.*</c>: token embeddings, decoder layers and the final norm.
/// </summary>
public sealed class DecoderStack : nn.Module
{
    readonly Embedding embed_tokens;
    readonly ModuleList<DecoderLayer> layers;
    readonly RmsNorm norm;
    readonly RotaryEmbedding rotary;

    public DecoderStack(string name, TransformerConfig config) : base(name)
    {
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = new ModuleList<DecoderLayer>();
        for (int i = 0; i < config.NumHiddenLayers; i++) layers.Add(new DecoderLayer($"{i}", config, i));
        norm = new RmsNorm("norm", config.HiddenSize, config.RmsNormEps);
        rotary = new RotaryEmbedding(config.HeadDim, config.RopeTheta, config.RopeScaling);
        RegisterComponents();
    }

    /// <summary>The embedding matrix, shared with the output head when embeddings are tied.</summary>
    public Tensor EmbeddingWeight => embed_tokens.weight!;

    /// <summary>Decoder layers (each a checkpointing boundary, see <see cref="Training.CheckpointedBackward"/>).</summary>
    public int LayerCount => layers.Count;

    /// <param name="inputIds">[B, T] int64 ids of the new tokens</param>
    /// <param name="positions">[B, T] int64 position ids of the new tokens</param>
    /// <param name="keyMask">[B, S] bool, true where a key (cached or new, S = cached + T) is a real token;
    /// null when nothing is padding</param>
    /// <param name="cache">keys and values of earlier tokens, extended in place; null without caching</param>
    /// <returns>final normed hidden states [B, T, C]</returns>
    public Tensor Forward(Tensor inputIds, Tensor positions, Tensor? keyMask, IKeyValueCache? cache)
    {
        using var scope = NewDisposeScope();
        var x = Embed(inputIds);                                                   // [B, T, C]
        var inputs = Inputs(positions, keyMask, cache?.Length ?? 0, x.dtype);
        for (int i = 0; i < layers.Count; i++) x = Layer(i, x, inputs, cache);
        cache?.Advance((int)inputIds.shape[1]);
        return Norm(x).MoveToOuterDisposeScope();
    }

    /// <summary>Token embeddings.</summary>
    /// <param name="inputIds">[B, T] int64</param>
    /// <returns>[B, T, C]</returns>
    public Tensor Embed(Tensor inputIds) => embed_tokens.forward(inputIds);

    /// <summary>What every layer of one forward pass shares (rotary angles and the attention mask); nothing in it
    /// depends on a weight, so it needs no gradient.</summary>
    /// <param name="positions">[B, T] int64 position ids of the new tokens</param>
    /// <param name="keyMask">[B, S] bool over cached and new keys; null when nothing is padding</param>
    /// <param name="past">keys before the new tokens (a cache's or a shared prompt's)</param>
    public LayerInputs Inputs(Tensor positions, Tensor? keyMask, int past, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        int tokens = (int)positions.shape[1];
        var (cos, sin) = rotary.Angles(positions, dtype);                          // [B, 1, T, D]
        // No mask is needed without padding when the keys are exactly the queries (plain causal attention)
        // or when a single new token may see every key.
        bool plain = keyMask is null && (past == 0 || tokens == 1);
        var mask = plain ? null : AdditiveMask(keyMask, positions.shape[0], past, tokens, dtype, positions.device);
        return new LayerInputs(cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope(), mask?.MoveToOuterDisposeScope());
    }

    /// <summary>Decoder layer <paramref name="index"/> on hidden states [B, T, C].</summary>
    public Tensor Layer(int index, Tensor x, LayerInputs inputs, IKeyValueCache? cache) =>
        layers[index].Forward(x, inputs.Cos, inputs.Sin, inputs.Mask, cache);

    /// <summary>The final norm, applied to the last layer's output.</summary>
    public Tensor Norm(Tensor x) => norm.forward(x);

    /// <summary>
    /// [B, 1, T, S] mask: 0 where query t may attend key s (causal and a real token), -inf elsewhere. A query
    /// always sees itself, so that padding queries get finite (ignored) outputs instead of NaN, which would
    /// otherwise leak through 0 × NaN into later layers.
    /// </summary>
    static Tensor AdditiveMask(Tensor? keyMask, long batch, int past, int tokens, ScalarType dtype, Device device)
    {
        int keys = past + tokens;
        using Scalar first = past, end = keys;                                     // kept alive through the calls (see Scalars)
        var queryPos = arange(first, end, device: device).unsqueeze(1);            // [T, 1]
        var keyPos = arange(Scalars.Zero, end, device: device).unsqueeze(0);       // [1, S]
        var allowed = (keyPos <= queryPos).unsqueeze(0);                           // [1, T, S]
        if (keyMask is not null) allowed = allowed & keyMask.unsqueeze(1);         // [B, T, S]
        allowed = allowed | (keyPos == queryPos).unsqueeze(0);
        allowed = allowed.expand(batch, tokens, keys).unsqueeze(1);                // [B, 1, T, S]
        return zeros(allowed.shape, dtype, device).masked_fill(allowed.logical_not(), Scalars.NegativeInfinity);
    }
}
