using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Modules;

/// <summary>
/// Decoder-only language model (Hugging Face's <c>*ForCausalLM</c>): <c>model.*</c> plus <c>lm_head</c>, which is
/// absent when embeddings are tied, exactly as in HF checkpoints.
/// </summary>
public sealed class CausalLm : nn.Module
{
    readonly DecoderStack model;
    readonly Linear? lm_head;

    public TransformerConfig Config { get; }

    public CausalLm(TransformerConfig config) : base("CausalLm")
    {
        Config = config.Validate();
        TorchRuntime.EnsureLoaded();
        model = new DecoderStack("model", config);
        if (!config.TieWordEmbeddings) lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    /// <summary>A new model with Hugging Face's initialisation (normal(0, std) weights, unit norms, zero biases).</summary>
    /// <param name="initStd">standard deviation of weights; HF's initializer_range is 0.02</param>
    public static CausalLm Create(TransformerConfig config, long seed, double initStd = 0.02)
    {
        var lm = new CausalLm(config);
        lm.Initialize(seed, initStd);
        return lm;
    }

    void Initialize(long seed, double initStd)
    {
        using var noGrad = no_grad();
        var generator = new Generator((ulong)seed);
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) parameter.fill_(Scalars.One);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) parameter.zero_();
            else parameter.normal_(0.0, initStd, generator);
        }
    }

    /// <summary>The transformer body (embeddings, decoder layers, final norm), for passes run layer by layer.</summary>
    public DecoderStack Body => model;

    /// <summary>Whether training backpropagates one decoder layer at a time, keeping only each layer's input from the
    /// forward pass and recomputing the layer's insides when its gradient is needed
    /// (<see cref="Training.CheckpointedBackward"/>): the same gradients for about one layer's activations instead of
    /// all of them, at the cost of a second forward pass. Hugging Face's <c>gradient_checkpointing_enable()</c>.</summary>
    public bool GradientCheckpointing { get; set; }

    /// <summary>The random source of the model's dropout (LoRA's), on the model's device; activation checkpointing
    /// replays it so that a recomputed layer drops the same units as its first pass. Null without dropout.</summary>
    public Generator? DropoutGenerator { get; internal set; }

    public Device Device => model.EmbeddingWeight.device;

    public ScalarType DType => model.EmbeddingWeight.dtype;

    /// <summary>Final hidden states of the new tokens; see <see cref="DecoderStack.Forward"/>.</summary>
    /// <returns>[B, T, C]</returns>
    public Tensor Hidden(Tensor inputIds, Tensor positions, Tensor? keyMask = null, IKeyValueCache? cache = null) =>
        model.Forward(inputIds, positions, keyMask, cache);

    /// <summary>Output head on (a slice of) hidden states.</summary>
    /// <param name="hidden">[B, T, C]</param>
    /// <returns>logits [B, T, V]</returns>
    public Tensor Logits(Tensor hidden) =>
        lm_head is null ? nn.functional.linear(hidden, model.EmbeddingWeight) : lm_head.forward(hidden);

    /// <summary>Logits of unpadded sequences, positions 0..T-1.</summary>
    /// <param name="inputIds">[B, T]</param>
    /// <returns>[B, T, V]</returns>
    public Tensor Forward(Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        using Scalar length = inputIds.shape[1];
        var positions = arange(length, device: inputIds.device).unsqueeze(0).expand(inputIds.shape[0], -1);
        return Logits(Hidden(inputIds, positions)).MoveToOuterDisposeScope();
    }
}
