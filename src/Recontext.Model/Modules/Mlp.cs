using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Modules;

/// <summary>SwiGLU feed-forward block: <c>down_proj(silu(gate_proj(x)) * up_proj(x))</c>.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    readonly Linear gate_proj;
    readonly Linear up_proj;
    readonly Linear down_proj;

    public Mlp(string name, TransformerConfig config) : base(name)
    {
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: false);
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
