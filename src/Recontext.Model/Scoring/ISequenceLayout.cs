using Recontext.Model.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Scoring;

/// <summary>How a <see cref="SequenceBatch"/>'s prompts and completions are laid out for the model.</summary>
public interface ISequenceLayout : IDisposable
{
    /// <summary>A forward pass over this layout, run layer by layer by its caller.</summary>
    ILayeredPass Pass(CausalLm model);

    /// <summary>Final hidden states at the positions that predict each completion token.</summary>
    /// <returns>[B, Tc, C]: row b, column j predicts completion token j of row b</returns>
    Tensor PredictingHidden(CausalLm model)
    {
        using var scope = NewDisposeScope();
        using var pass = Pass(model);
        var state = pass.Embed();
        for (int i = 0; i < model.Body.LayerCount; i++) state = pass.Layer(i, state);
        return pass.Predicting(state).MoveToOuterDisposeScope();
    }
}
