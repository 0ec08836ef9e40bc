using TorchSharp;

namespace Recontext.Model;

/// <summary>
/// Constants for tensor arithmetic, created once and kept alive. Why: a TorchSharp <see cref="Scalar"/> made
/// implicitly from a number (<c>x + 1e-6</c>, <c>masked_fill(m, -inf)</c>) is a native object with a finalizer that
/// no dispose scope holds; the GC may finalize it while libtorch is still reading it, which showed up as crashes and
/// garbage values under memory pressure. Pass these, or a <c>using var</c> local made with <c>ToScalar()</c> for
/// values known only at run time, never a bare number.
/// </summary>
public static class Scalars
{
    public static readonly Scalar Zero = 0.0.ToScalar();
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();
}
