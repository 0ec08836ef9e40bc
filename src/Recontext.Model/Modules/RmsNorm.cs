using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Modules;

/// <summary>
/// Root-mean-square layer norm (TorchSharp 0.107.0 has none): <c>weight * x / sqrt(mean(x²) + eps)</c>,
/// computed in fp32 whatever the input dtype, as Hugging Face does.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly double eps;

    public RmsNorm(string name, long dim, double eps) : base(name)
    {
        weight = new Parameter(ones(dim));
        this.eps = eps;
        RegisterComponents();
    }

    /// <param name="x">[..., dim]</param>
    /// <returns>[..., dim], same dtype as <paramref name="x"/></returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var variance = x32.pow(2).mean([-1L], keepdim: true);
        var normed = (x32 * rsqrt(variance + eps)).to(x.dtype);
        return (weight * normed).MoveToOuterDisposeScope();
    }
}
