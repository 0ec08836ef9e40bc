using static TorchSharp.torch;

namespace Recontext.Model.Modules;

/// <summary>What every decoder layer of one forward pass reads besides the hidden states.</summary>
/// <param name="Cos">[B, 1, T, D] rotary cosines of the new tokens' positions</param>
/// <param name="Sin">[B, 1, T, D]</param>
/// <param name="Mask">additive [B, 1, T, S] (0 or -inf), or null for plain causal attention</param>
public sealed record LayerInputs(Tensor Cos, Tensor Sin, Tensor? Mask) : IDisposable
{
    /// <summary>Keeps the tensors past the dispose scope they were made in (the holder disposes them).</summary>
    public LayerInputs Detached()
    {
        Cos.DetachFromDisposeScope();
        Sin.DetachFromDisposeScope();
        Mask?.DetachFromDisposeScope();
        return this;
    }

    public void Dispose()
    {
        Cos.Dispose();
        Sin.Dispose();
        Mask?.Dispose();
    }
}
