using static TorchSharp.torch;

namespace Recontext.Model.Modules;

/// <summary>
/// Rotary position embedding (RoPE) in Hugging Face's "rotate half" layout. It holds no weights: the inverse
/// frequencies are kept as a managed array so they never appear in the state dict (HF checkpoints lack them).
/// </summary>
public sealed class RotaryEmbedding
{
    readonly float[] inverseFrequencies;

    /// <param name="scaling">Llama 3's frequency stretching, or null for plain RoPE</param>
    public RotaryEmbedding(int headDim, double theta, RopeScaling? scaling = null)
    {
        inverseFrequencies = new float[headDim / 2];
        for (int i = 0; i < inverseFrequencies.Length; i++)
        {
            double inverseFrequency = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
            inverseFrequencies[i] = (float)(scaling?.Apply(inverseFrequency) ?? inverseFrequency);
        }
    }

    /// <summary>Cosines and sines for the given positions.</summary>
    /// <param name="positions">[B, T] int64 position ids</param>
    /// <returns>(cos, sin), each [B, 1, T, headDim] in <paramref name="dtype"/>, ready to broadcast over heads</returns>
    public (Tensor Cos, Tensor Sin) Angles(Tensor positions, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var invFreq = tensor(inverseFrequencies, device: positions.device);           // [D/2]
        var freqs = positions.to(ScalarType.Float32).unsqueeze(-1) * invFreq;            // [B, T, D/2]
        var emb = cat([freqs, freqs], dim: -1).unsqueeze(1);                             // [B, 1, T, D]
        var cos = emb.cos().to(dtype).MoveToOuterDisposeScope();
        var sin = emb.sin().to(dtype).MoveToOuterDisposeScope();
        return (cos, sin);
    }

    /// <summary>Rotates queries or keys by their positions' angles.</summary>
    /// <param name="x">[B, H, T, D]</param>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = cat([-x2, x1], dim: -1);
        return (x * cos).Plus(rotated * sin).MoveToOuterDisposeScope();
    }
}
