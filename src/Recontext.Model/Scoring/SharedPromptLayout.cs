using Recontext.Model.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Scoring;

/// <summary>
/// Rows that share a prompt (a GRPO group: several samples of one prompt) run that prompt through the model once.
/// Pass 1 runs the U distinct prompts [U, P] and keeps every layer's keys and values; pass 2 runs only the
/// completions [B, Tc], each attending to its prompt's keys and values (<see cref="SharedPrefix"/>). The result
/// equals the flat layout's (same masks, same positions) while the prompt tokens cost U rows instead of B, and
/// gradients flow back into the shared prompt pass through the gather.
/// </summary>
public sealed class SharedPromptLayout : ISequenceLayout
{
    /// <summary>[U, P] int64 distinct prompts, left-padded</summary>
    public Tensor PromptIds { get; }
    /// <summary>[U, P] int64</summary>
    public Tensor PromptPositions { get; }
    /// <summary>[U, P] bool; null when no prompt is padded</summary>
    public Tensor? PromptKeyMask { get; }
    /// <summary>[B] int64: the distinct prompt of each row</summary>
    public Tensor RowPrompt { get; }
    /// <summary>[B, Tc] int64 completions, right-padded</summary>
    public Tensor CompletionIds { get; }
    /// <summary>[B, Tc] int64 positions continuing after each row's prompt</summary>
    public Tensor CompletionPositions { get; }
    /// <summary>[B, P + Tc] bool over the prompt's and the completion's keys; null when nothing is padding</summary>
    public Tensor? KeyMask { get; }

    public int DistinctPrompts { get; }
    public int PromptLength { get; }
    public int CompletionLength { get; }

    SharedPromptLayout(Tensor promptIds, Tensor promptPositions, Tensor? promptKeyMask, Tensor rowPrompt, Tensor completionIds,
        Tensor completionPositions, Tensor? keyMask, int distinctPrompts, int promptLength, int completionLength)
    {
        PromptIds = promptIds.DetachFromDisposeScope();
        PromptPositions = promptPositions.DetachFromDisposeScope();
        PromptKeyMask = promptKeyMask?.DetachFromDisposeScope();
        RowPrompt = rowPrompt.DetachFromDisposeScope();
        CompletionIds = completionIds.DetachFromDisposeScope();
        CompletionPositions = completionPositions.DetachFromDisposeScope();
        KeyMask = keyMask?.DetachFromDisposeScope();
        DistinctPrompts = distinctPrompts;
        PromptLength = promptLength;
        CompletionLength = completionLength;
    }

    /// <param name="distinct">the distinct prompts</param>
    /// <param name="rowPrompt">for each row, the index of its prompt in <paramref name="distinct"/></param>
    internal static SharedPromptLayout Build(IReadOnlyList<int[]> distinct, int[] rowPrompt, IReadOnlyList<int[]> completions, int completionLength,
        int paddingId, Device device)
    {
        int unique = distinct.Count, rows = completions.Count;
        int promptLength = distinct.Max(p => p.Length);
        var promptIds = new long[unique * promptLength];
        var promptPositions = new long[unique * promptLength];
        var promptValid = new bool[unique * promptLength];
        bool promptPadding = false;
        for (int u = 0; u < unique; u++)
        {
            int pad = promptLength - distinct[u].Length;
            promptPadding |= pad > 0;
            for (int col = 0; col < promptLength; col++)
            {
                int i = u * promptLength + col;
                if (col < pad) promptIds[i] = paddingId;
                else
                {
                    promptIds[i] = distinct[u][col - pad];
                    promptPositions[i] = col - pad;
                    promptValid[i] = true;
                }
            }
        }

        int width = promptLength + completionLength;
        var completionIds = new long[rows * completionLength];
        var completionPositions = new long[rows * completionLength];
        var valid = new bool[rows * width];
        bool anyPadding = promptPadding;
        for (int row = 0; row < rows; row++)
        {
            var prompt = distinct[rowPrompt[row]];
            var completion = completions[row];
            anyPadding |= completion.Length < completionLength;
            Array.Copy(promptValid, rowPrompt[row] * promptLength, valid, row * width, promptLength);
            for (int j = 0; j < completionLength; j++)
            {
                bool real = j < completion.Length;
                completionIds[row * completionLength + j] = real ? completion[j] : paddingId;
                completionPositions[row * completionLength + j] = prompt.Length + j;
                valid[row * width + promptLength + j] = real;
            }
        }

        using var scope = NewDisposeScope();
        return new SharedPromptLayout(
            tensor(promptIds, [unique, promptLength], device: device),
            tensor(promptPositions, [unique, promptLength], device: device),
            promptPadding ? tensor(promptValid, [unique, promptLength], device: device) : null,
            tensor(rowPrompt.Select(i => (long)i).ToArray(), [rows], device: device),
            tensor(completionIds, [rows, completionLength], device: device),
            tensor(completionPositions, [rows, completionLength], device: device),
            anyPadding ? tensor(valid, [rows, width], device: device) : null,
            unique, promptLength, completionLength);
    }

    public ILayeredPass Pass(CausalLm model) => new LayerByLayer(this, model);

    /// <summary>Two state tensors: the distinct prompts [U, P, C] and the completions but their last token [B, Tc − 1, C]
    /// (the last predicts nothing inside the batch, so it need not be run; with Tc = 1 the prompts alone). Each layer
    /// runs the prompts, keeping their keys and values, then the completions attending to them.</summary>
    sealed class LayerByLayer : ILayeredPass
    {
        readonly SharedPromptLayout layout;
        readonly CausalLm model;
        readonly LayerInputs promptInputs;
        readonly LayerInputs? completionInputs;

        public LayerByLayer(SharedPromptLayout layout, CausalLm model)
        {
            (this.layout, this.model) = (layout, model);
            promptInputs = model.Body.Inputs(layout.PromptPositions, layout.PromptKeyMask, past: 0, model.DType).Detached();
            if (layout.CompletionLength > 1)
                completionInputs = model.Body.Inputs(layout.CompletionPositions.narrow(1, 0, layout.CompletionLength - 1),
                    layout.KeyMask?.narrow(1, 0, layout.PromptLength + layout.CompletionLength - 1), past: layout.PromptLength, model.DType).Detached();
        }

        public IReadOnlyList<Tensor> Embed() => completionInputs is null
            ? [model.Body.Embed(layout.PromptIds)]
            : [model.Body.Embed(layout.PromptIds), model.Body.Embed(layout.CompletionIds.narrow(1, 0, layout.CompletionLength - 1))];

        public IReadOnlyList<Tensor> Layer(int index, IReadOnlyList<Tensor> state)
        {
            using var prefix = new SharedPrefix(layout.RowPrompt, firstLayer: index);
            var prompts = model.Body.Layer(index, state[0], promptInputs, prefix.Recorder);                   // [U, P, C]
            return completionInputs is null ? [prompts] : [prompts, model.Body.Layer(index, state[1], completionInputs, prefix)];   // [B, Tc − 1, C]
        }

        public Tensor Predicting(IReadOnlyList<Tensor> state)
        {
            using var scope = NewDisposeScope();
            // Prompts are left-padded, so column P − 1 is every prompt's last token: it predicts completion token 0.
            var first = model.Body.Norm(state[0].narrow(1, layout.PromptLength - 1, 1)).index_select(0, layout.RowPrompt);   // [B, 1, C]
            var predicting = completionInputs is null ? first : cat([first, model.Body.Norm(state[1])], 1);
            return predicting.MoveToOuterDisposeScope();
        }

        public void Dispose()
        {
            promptInputs.Dispose();
            completionInputs?.Dispose();
        }
    }

    public void Dispose()
    {
        PromptIds.Dispose();
        PromptPositions.Dispose();
        PromptKeyMask?.Dispose();
        RowPrompt.Dispose();
        CompletionIds.Dispose();
        CompletionPositions.Dispose();
        KeyMask?.Dispose();
    }
}
