using Recontext.Model.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Scoring;

/// <summary>How a <see cref="SequenceBatch"/>'s prompts and completions are laid out for the model.</summary>
public interface ISequenceLayout : IDisposable
{
    /// <summary>Final hidden states at the positions that predict each completion token.</summary>
    /// <returns>[B, Tc, C]: row b, column j predicts completion token j of row b</returns>
    Tensor PredictingHidden(CausalLm model);
}
