using static TorchSharp.torch;

namespace Recontext.Model.Scoring;

/// <summary>How <see cref="SequenceBatch.Build"/> lays prompts out.</summary>
public enum PromptSharing
{
    /// <summary>Share prompts when that saves at least a fifth of the token work (GRPO groups), else flat.</summary>
    Auto,
    /// <summary>Every row runs its own prompt (<see cref="FlatLayout"/>).</summary>
    Never,
    /// <summary>Rows with identical prompts run them once (<see cref="SharedPromptLayout"/>).</summary>
    Always,
}

/// <summary>
/// (prompt, completion) pairs packed for one scoring or training pass: the completion tokens as targets with a
/// per-token mask, and a <see cref="Layout"/> that yields the hidden states predicting them. Tensors live on the
/// given device; dispose the batch when done.
/// </summary>
public sealed class SequenceBatch : IDisposable
{
    /// <summary>[B, Tc] int64 completion tokens (padding where the mask is 0)</summary>
    public Tensor Targets { get; }
    /// <summary>[B, Tc] float32, 1 for real completion tokens (or the caller's per-token weights)</summary>
    public Tensor CompletionMask { get; }

    public ISequenceLayout Layout { get; }

    public int Rows { get; }
    public int CompletionLength { get; }

    SequenceBatch(ISequenceLayout layout, Tensor targets, Tensor completionMask, int rows, int completionLength)
    {
        Layout = layout;
        Targets = targets.DetachFromDisposeScope();
        CompletionMask = completionMask.DetachFromDisposeScope();
        Rows = rows;
        CompletionLength = completionLength;
    }

    /// <param name="completionMasks">optional per-token weights (1 = trained/scored, 0 = ignored), same lengths as completions</param>
    public static SequenceBatch Build(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, int paddingId, int vocabSize,
        Device device, IReadOnlyList<float[]>? completionMasks = null, PromptSharing sharing = PromptSharing.Auto)
    {
        if (prompts.Count == 0 || prompts.Count != completions.Count)
            throw new ArgumentException($"need as many prompts as completions (and at least one), got {prompts.Count} and {completions.Count}");
        int rows = prompts.Count;
        for (int row = 0; row < rows; row++)
        {
            if (prompts[row].Length == 0) throw new ArgumentException($"prompts[{row}] is empty");
            if (completionMasks is not null && completionMasks[row].Length != completions[row].Length)
                throw new ArgumentException($"completionMasks[{row}] has {completionMasks[row].Length} entries for {completions[row].Length} tokens");
            foreach (var t in prompts[row].Concat(completions[row]))
                if (t < 0 || t >= vocabSize) throw new ArgumentException($"row {row} has token id {t} outside 0..{vocabSize - 1}");
        }
        int completionLength = Math.Max(1, completions.Max(c => c.Length));
        var targets = new long[rows * completionLength];
        var mask = new float[rows * completionLength];
        for (int row = 0; row < rows; row++)
        {
            var completion = completions[row];
            for (int j = 0; j < completionLength; j++)
            {
                targets[row * completionLength + j] = j < completion.Length ? completion[j] : paddingId;
                mask[row * completionLength + j] = j < completion.Length ? completionMasks?[row][j] ?? 1f : 0f;
            }
        }

        var groups = PromptGroups.Of(prompts);
        ISequenceLayout layout = Lay(prompts, completions, groups, sharing).Shared
            ? SharedPromptLayout.Build(groups.Distinct, groups.RowPrompt, completions, completionLength, paddingId, device)
            : FlatLayout.Build(prompts, completions, completionLength, paddingId, device);

        using var scope = NewDisposeScope();
        return new SequenceBatch(layout, tensor(targets, [rows, completionLength], device: device), tensor(mask, [rows, completionLength], device: device),
            rows, completionLength);
    }

    /// <summary>Token positions the model computes for these rows as <see cref="Build"/> lays them out, padding
    /// included: what a micro-batch plan minimises (<see cref="MicroBatchPlan"/>).</summary>
    public static long PaddedTokens(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, PromptSharing sharing = PromptSharing.Auto) =>
        prompts.Count == 0 ? 0 : Lay(prompts, completions, PromptGroups.Of(prompts), sharing).Tokens;

    /// <summary>Flat rows cost B × (P + Tc); shared prompts cost each distinct prompt once plus B × Tc. Sharing is
    /// chosen (under Auto) when it saves at least a fifth of the flat work.</summary>
    static (bool Shared, long Tokens) Lay(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, PromptGroups groups, PromptSharing sharing)
    {
        int promptLength = prompts.Max(p => p.Length);
        int completionLength = Math.Max(1, completions.Max(c => c.Length));
        long flat = (long)prompts.Count * (promptLength + completionLength);
        long shared = (long)groups.Distinct.Count * promptLength + (long)prompts.Count * completionLength;
        bool share = sharing == PromptSharing.Always || (sharing == PromptSharing.Auto && shared * 5 <= flat * 4);
        return share ? (true, shared) : (false, flat);
    }

    public void Dispose()
    {
        Layout.Dispose();
        Targets.Dispose();
        CompletionMask.Dispose();
    }
}
