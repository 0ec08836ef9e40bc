using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Model;

/// <summary>
/// Addition with its alpha held alive. TorchSharp's <c>a + b</c> (and <c>add(b)</c>) passes a freshly made
/// <c>Scalar</c> alpha of 1 to libtorch that nothing references during the call; when the GC finalized it mid-call,
/// additions read garbage ("Expected false to be true ... toFloat", seen under memory pressure). Use these in every
/// tensor addition; subtraction and multiplication take no alpha and are safe as operators.
/// </summary>
public static class TensorArithmetic
{
    /// <summary><paramref name="a"/> + <paramref name="b"/>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, Scalars.One);

    /// <summary><paramref name="a"/> + <paramref name="b"/>; keep <paramref name="b"/> referenced (a field, a <see cref="Scalars"/> constant or a using local).</summary>
    public static Tensor Plus(this Tensor a, Scalar b) => a.add(b, Scalars.One);
}
