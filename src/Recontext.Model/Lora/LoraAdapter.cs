using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Model.Lora;

/// <summary>
/// One projection's low-rank update, PEFT's: <c>Δ(x) = dropout(x) · Aᵀ · Bᵀ · alpha/r</c>, with A [r, in] drawn like a
/// linear layer's weight and B [out, r] zero, so a fresh adapter changes nothing.
/// </summary>
public sealed class LoraAdapter : IDisposable
{
    readonly LoraAdapters owner;
    readonly Scalar scale;

    internal LoraAdapter(LoraAdapters owner, long inFeatures, long outFeatures, LoraConfig config, Device device, Generator generator)
    {
        this.owner = owner;
        double bound = 1.0 / Math.Sqrt(inFeatures);
        using (no_grad())
        {
            A = new TorchSharp.Modules.Parameter(empty(config.Rank, inFeatures).uniform_(-bound, bound, generator).to(device));
            B = new TorchSharp.Modules.Parameter(zeros(outFeatures, config.Rank, device: device));
        }
        Dropout = config.Dropout;
        Scale = config.Scale;
        scale = Scale.ToScalar();
    }

    /// <summary>lora_A [r, in].</summary>
    public TorchSharp.Modules.Parameter A { get; }

    /// <summary>lora_B [out, r].</summary>
    public TorchSharp.Modules.Parameter B { get; }

    public double Scale { get; }

    public double Dropout { get; }

    /// <summary>False while the owner serves the frozen base (the KL reference) or after merging.</summary>
    public bool Enabled => owner.Enabled;

    /// <param name="x">[..., in]</param>
    /// <param name="training">whether dropout applies</param>
    /// <returns>[..., out]</returns>
    public Tensor Delta(Tensor x, bool training)
    {
        using var scope = NewDisposeScope();
        var input = Dropout > 0 && training ? Dropped(x) : x;
        var low = nn.functional.linear(input, A.to(x.dtype));                       // [..., r]
        return nn.functional.linear(low, B.to(x.dtype)).mul_(scale).MoveToOuterDisposeScope();
    }

    /// <summary>Inverted dropout with the owner's generator: each input unit kept with probability 1 − p and scaled by
    /// 1 / (1 − p), as <c>nn.functional.dropout</c> does.</summary>
    Tensor Dropped(Tensor x)
    {
        double keep = 1 - Dropout;
        using Scalar scaleUp = 1 / keep;
        return x * empty_like(x).bernoulli_(keep, owner.DropoutRandom).mul_(scaleUp);
    }

    /// <summary>The update as a weight, scale · B · A [out, in] (for merging).</summary>
    public Tensor DeltaWeight() => B.matmul(A).mul_(scale);

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        scale.Dispose();
    }
}
