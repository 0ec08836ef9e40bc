namespace Recontext.Model.Checkpoints;

/// <summary>
/// An estimate of the memory one training step of a model needs, by parts, for full fine-tuning (fp32 weights,
/// gradients and AdamW's two moments: 16 bytes a parameter) and for LoRA (the frozen base in the compute dtype, and
/// 16 bytes for each adapter parameter), with the activations a step keeps for its backward pass (every decoder
/// layer's saved tensors, the attention probabilities, and the logits) in the compute dtype, the log-softmax in fp32;
/// with gradient checkpointing, every layer's input and one layer's saved tensors instead of all of them.
/// An estimate to plan hardware by, not a measurement: allocator slack and framework buffers come on top.
/// </summary>
public sealed record TrainingMemory(long WeightBytes, long GradientBytes, long OptimizerBytes, long ActivationBytes)
{
    public long Total => WeightBytes + GradientBytes + OptimizerBytes + ActivationBytes;

    /// <summary>Bytes a weight or activation takes in fp32, the compute dtype of full fine-tuning and of the CPU.</summary>
    public const int ComputeBytes = 4;

    /// <summary>Bytes an element takes for a run's policy dtype (<c>computeDtype</c>, float32 for full fine-tuning) on
    /// its device spelling: auto narrows only where the device is named as a GPU (on <c>device: auto</c> the estimate
    /// stays at fp32, the larger, since the GPU is only known once libtorch looks).</summary>
    public static int ComputeBytesOf(string policyDtype, string device) =>
        ComputeDtype.IsReduced(policyDtype) || (ComputeDtype.Validate(policyDtype) == "auto" && device.StartsWith("cuda", StringComparison.Ordinal)) ? 2 : ComputeBytes;

    /// <summary>The LoRA default: the attention and MLP projections of every layer.</summary>
    public static long LoraParameters(TransformerConfig c, int rank)
    {
        long h = c.HiddenSize, q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim, i = c.IntermediateSize;
        // A rank-r adapter on an in → out projection holds r × (in + out) parameters.
        long perLayer = rank * ((h + q) + (h + kv) + (h + kv) + (q + h) + (h + i) + (h + i) + (i + h));
        return perLayer * c.NumHiddenLayers;
    }

    /// <param name="checkpointing">gradient checkpointing per decoder layer (<see cref="Modules.CausalLm.GradientCheckpointing"/>)</param>
    public static TrainingMemory FullFineTuning(TransformerConfig c, long parameters, int batch, int sequence, bool checkpointing = false) =>
        new(parameters * 4, parameters * 4, parameters * 8, Activations(c, batch, sequence, checkpointing));

    /// <param name="computeBytes">bytes a base weight and an activation take (<see cref="ComputeBytes"/>; 2 for a
    /// bfloat16 base, <see cref="ComputeDtype"/>)</param>
    public static TrainingMemory Lora(TransformerConfig c, long parameters, int batch, int sequence, int rank, int computeBytes, bool checkpointing = false)
    {
        long adapter = LoraParameters(c, rank);
        return new(parameters * computeBytes + adapter * 4, adapter * 4, adapter * 8, Activations(c, batch, sequence, checkpointing, computeBytes));
    }

    static long Activations(TransformerConfig c, int batch, int sequence, bool checkpointing, int computeBytes = ComputeBytes)
    {
        long tokens = (long)batch * sequence, h = c.HiddenSize, i = c.IntermediateSize;
        long q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim;
        // Saved per token and layer: two norms' inputs and outputs, q/k/v (after rotation), the attention output and
        // its projection, the MLP's gate, up, their product and the down projection's input.
        long perTokenLayer = 4 * h + 2 * q + 2 * kv + h + 4 * i;
        // Attention probabilities (and their softmax's input): heads × sequence per token and layer.
        long attention = 2L * c.NumAttentionHeads * sequence;
        long layer = tokens * (perTokenLayer + attention);
        // Checkpointing keeps every layer's input [tokens, h] (and the last layer's output) and holds one layer's
        // saved tensors at a time, while that layer is recomputed.
        long layers = checkpointing ? tokens * h * (c.NumHiddenLayers + 1) + layer : layer * c.NumHiddenLayers;
        // Logits in the compute dtype and their log-softmax over the vocabulary in fp32.
        long logits = tokens * c.VocabSize * (computeBytes + 4L);
        return layers * computeBytes + logits;
    }
}
