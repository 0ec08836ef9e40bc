using static TorchSharp.torch;

namespace Recontext.Model.Modules;

/// <summary>SwiGLU feed-forward block: <c>down_proj(silu(gate_proj(x)) * up_proj(x))</c>.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    readonly Projection gate_proj;
    readonly Projection up_proj;
    readonly Projection down_proj;

    public Mlp(string name, TransformerConfig config) : base(name)
    {
        gate_proj = new Projection("gate_proj", config.HiddenSize, config.IntermediateSize, hasBias: false);
        up_proj = new Projection("up_proj", config.HiddenSize, config.IntermediateSize, hasBias: false);
        down_proj = new Projection("down_proj", config.IntermediateSize, config.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    /// <param name="x">[B, T, C]</param>
    /// <returns>[B, T, C]</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = nn.functional.silu(gate_proj.forward(x)) * up_proj.forward(x);   // [B, T, I]
        return down_proj.forward(hidden).MoveToOuterDisposeScope();
    }
}
