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
    // Held for the module's lifetime: a Scalar made per call could be finalized mid-call (see Recontext.Model.Scalars).
    readonly Scalar epsilon;

    public RmsNorm(string name, long dim, double eps) : base(name)
    {
        weight = new Parameter(ones(dim));
        epsilon = eps.ToScalar();
        RegisterComponents();
    }

    /// <param name="x">[..., dim]</param>
    /// <returns>[..., dim], same dtype as <paramref name="x"/></returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var variance = (x32 * x32).mean([-1L], keepdim: true);                     // not square(): it is pow with a temporary Scalar
        var normed = (x32 * rsqrt(variance.Plus(epsilon))).to(x.dtype);
        return (weight * normed).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) epsilon.Dispose();
        base.Dispose(disposing);
    }
}
