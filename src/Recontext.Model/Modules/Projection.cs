using Recontext.Model.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Modules;

/// <summary>
/// A linear projection of attention or the MLP (<c>q_proj</c> ... <c>down_proj</c>) under Hugging Face's key names
/// (<c>weight</c>, and <c>bias</c> where the family has one), which a LoRA adapter can be attached to. The adapter is
/// not a registered component, so the model's state dict (and every checkpoint written from it) holds the base weights
/// only; the adapter saves in PEFT's own layout (<see cref="LoraAdapters"/>).
/// </summary>
public sealed class Projection : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter? bias;

    public Projection(string name, long inFeatures, long outFeatures, bool hasBias) : base(name)
    {
        // nn.Linear's initialisation (kaiming-uniform with a = √5, i.e. U(±1/√in)); models are re-initialised or
        // loaded after construction anyway.
        double bound = 1.0 / Math.Sqrt(inFeatures);
        weight = new Parameter(empty(outFeatures, inFeatures).uniform_(-bound, bound));
        if (hasBias) bias = new Parameter(empty(outFeatures).uniform_(-bound, bound));
        RegisterComponents();
    }

    public long InFeatures => weight.shape[1];

    public long OutFeatures => weight.shape[0];

    /// <summary>The base weight [out, in] (frozen while an adapter trains).</summary>
    public Parameter Weight => weight;

    /// <summary>The adapter whose low-rank update is added to the output, if one is attached.</summary>
    public LoraAdapter? Adapter { get; internal set; }

    public override Tensor forward(Tensor x)
    {
        var output = nn.functional.linear(x, weight, bias);
        if (Adapter is not { Enabled: true } adapter) return output;
        using var delta = adapter.Delta(x, training);
        return output.add_(delta);
    }
}
