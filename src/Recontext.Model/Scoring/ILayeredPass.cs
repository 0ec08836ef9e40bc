using static TorchSharp.torch;

namespace Recontext.Model.Scoring;

/// <summary>
/// A layout's forward pass cut at decoder-layer boundaries. Between two layers the pass is fully described by its
/// state, a few hidden-state tensors [rows, T, C] (one for a flat batch; the prompts' and the completions' for shared
/// prompts), so activation checkpointing can keep only the states and recompute a layer from its input state.
/// </summary>
public interface ILayeredPass : IDisposable
{
    /// <summary>The state before layer 0: the token embeddings.</summary>
    IReadOnlyList<Tensor> Embed();

    /// <summary>Decoder layer <paramref name="index"/> applied to the state; layers run in order 0, 1, …</summary>
    IReadOnlyList<Tensor> Layer(int index, IReadOnlyList<Tensor> state);

    /// <summary>The final norm at the positions that predict each completion token.</summary>
    /// <returns>[B, Tc, C]</returns>
    Tensor Predicting(IReadOnlyList<Tensor> state);
}
