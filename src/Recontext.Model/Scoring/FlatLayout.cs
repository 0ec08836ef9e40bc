using Recontext.Model.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Scoring;

/// <summary>
/// Every row holds its own prompt, left-padded to P columns so that every completion starts at column P,
/// followed by its completion right-padded to Tc columns: one forward pass over [B, P + Tc].
/// </summary>
public sealed class FlatLayout : ISequenceLayout
{
    /// <summary>[B, P + Tc] int64</summary>
    public Tensor InputIds { get; }
    /// <summary>[B, P + Tc] int64 positions counting real tokens only</summary>
    public Tensor Positions { get; }
    /// <summary>[B, P + Tc] bool, true for real tokens; null when no cell is padding</summary>
    public Tensor? KeyMask { get; }

    public int PromptLength { get; }
    public int CompletionLength { get; }

    FlatLayout(Tensor inputIds, Tensor positions, Tensor? keyMask, int promptLength, int completionLength)
    {
        InputIds = inputIds.DetachFromDisposeScope();
        Positions = positions.DetachFromDisposeScope();
        KeyMask = keyMask?.DetachFromDisposeScope();
        PromptLength = promptLength;
        CompletionLength = completionLength;
    }

    internal static FlatLayout Build(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, int completionLength, int paddingId, Device device)
    {
        int rows = prompts.Count;
        int promptLength = prompts.Max(p => p.Length);
        int width = promptLength + completionLength;
        var ids = new long[rows * width];
        var positions = new long[rows * width];
        var valid = new bool[rows * width];
        bool anyPadding = false;
        for (int row = 0; row < rows; row++)
        {
            var prompt = prompts[row];
            var completion = completions[row];
            int pad = promptLength - prompt.Length;
            anyPadding |= pad > 0 || completion.Length < completionLength;
            int position = 0;
            for (int col = 0; col < width; col++)
            {
                int i = row * width + col;
                int? token = col < pad ? null
                    : col < promptLength ? prompt[col - pad]
                    : col - promptLength < completion.Length ? completion[col - promptLength] : null;
                if (token is int t)
                {
                    ids[i] = t;
                    valid[i] = true;
                    positions[i] = position++;
                }
                else ids[i] = paddingId;
            }
        }
        using var scope = NewDisposeScope();
        return new FlatLayout(
            tensor(ids, [rows, width], device: device),
            tensor(positions, [rows, width], device: device),
            anyPadding ? tensor(valid, [rows, width], device: device) : null,
            promptLength, completionLength);
    }

    public ILayeredPass Pass(CausalLm model) => new LayerByLayer(this, model);

    /// <summary>One state tensor: the whole rows [B, P + Tc, C].</summary>
    sealed class LayerByLayer(FlatLayout layout, CausalLm model) : ILayeredPass
    {
        readonly LayerInputs inputs = model.Body.Inputs(layout.Positions, layout.KeyMask, past: 0, model.DType).Detached();

        public IReadOnlyList<Tensor> Embed() => [model.Body.Embed(layout.InputIds)];

        public IReadOnlyList<Tensor> Layer(int index, IReadOnlyList<Tensor> state) => [model.Body.Layer(index, state[0], inputs, cache: null)];

        // Column P − 1 (the prompt's last token) predicts completion token 0, and so on.
        public Tensor Predicting(IReadOnlyList<Tensor> state) =>
            model.Body.Norm(state[0].narrow(1, layout.PromptLength - 1, layout.CompletionLength));

        public void Dispose() => inputs.Dispose();
    }

    public void Dispose()
    {
        InputIds.Dispose();
        Positions.Dispose();
        KeyMask?.Dispose();
    }
}
