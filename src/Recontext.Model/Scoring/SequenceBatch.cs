using static TorchSharp.torch;

namespace Recontext.Model.Scoring;

/// <summary>
/// (prompt, completion) pairs packed for one forward pass: prompts left-padded to P columns so every completion
/// starts at column P, completions right-padded to Tc columns. Logits at columns P-1 .. P+Tc-2 predict the
/// completion tokens. Tensors live on the given device; dispose the batch when done.
/// </summary>
public sealed class SequenceBatch : IDisposable
{
    /// <summary>[B, P + Tc] int64</summary>
    public Tensor InputIds { get; }
    /// <summary>[B, P + Tc] int64 positions counting real tokens only</summary>
    public Tensor Positions { get; }
    /// <summary>[B, P + Tc] bool, true for real tokens; null when no cell is padding</summary>
    public Tensor? KeyMask { get; }
    /// <summary>[B, Tc] int64 completion tokens (padding where the mask is 0)</summary>
    public Tensor Targets { get; }
    /// <summary>[B, Tc] float32, 1 for real completion tokens</summary>
    public Tensor CompletionMask { get; }

    public int PromptLength { get; }
    public int CompletionLength { get; }

    SequenceBatch(Tensor inputIds, Tensor positions, Tensor? keyMask, Tensor targets, Tensor completionMask, int promptLength, int completionLength)
    {
        InputIds = inputIds.DetachFromDisposeScope();
        Positions = positions.DetachFromDisposeScope();
        KeyMask = keyMask?.DetachFromDisposeScope();
        Targets = targets.DetachFromDisposeScope();
        CompletionMask = completionMask.DetachFromDisposeScope();
        PromptLength = promptLength;
        CompletionLength = completionLength;
    }

    /// <param name="completionMasks">optional per-token weights (1 = trained/scored, 0 = ignored), same lengths as completions</param>
    public static SequenceBatch Build(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, int paddingId, int vocabSize,
        Device device, IReadOnlyList<float[]>? completionMasks = null)
    {
        if (prompts.Count == 0 || prompts.Count != completions.Count)
            throw new ArgumentException($"need as many prompts as completions (and at least one), got {prompts.Count} and {completions.Count}");
        int rows = prompts.Count;
        int promptLength = prompts.Max(p => p.Length);
        int completionLength = Math.Max(1, completions.Max(c => c.Length));
        int width = promptLength + completionLength;
        var ids = new long[rows * width];
        var positions = new long[rows * width];
        var valid = new bool[rows * width];
        var targets = new long[rows * completionLength];
        var mask = new float[rows * completionLength];
        bool anyPadding = false;

        for (int row = 0; row < rows; row++)
        {
            var prompt = prompts[row];
            var completion = completions[row];
            if (prompt.Length == 0) throw new ArgumentException($"prompts[{row}] is empty");
            if (completionMasks is not null && completionMasks[row].Length != completion.Length)
                throw new ArgumentException($"completionMasks[{row}] has {completionMasks[row].Length} entries for {completion.Length} tokens");
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
                    if (t < 0 || t >= vocabSize) throw new ArgumentException($"row {row} has token id {t} outside 0..{vocabSize - 1}");
                    ids[i] = t;
                    valid[i] = true;
                    positions[i] = position++;
                }
                else ids[i] = paddingId;
            }
            for (int j = 0; j < completion.Length; j++)
            {
                targets[row * completionLength + j] = completion[j];
                mask[row * completionLength + j] = completionMasks?[row][j] ?? 1f;
            }
            for (int j = completion.Length; j < completionLength; j++) targets[row * completionLength + j] = paddingId;
        }

        using var scope = NewDisposeScope();
        return new SequenceBatch(
            tensor(ids, [rows, width], device: device),
            tensor(positions, [rows, width], device: device),
            anyPadding ? tensor(valid, [rows, width], device: device) : null,
            tensor(targets, [rows, completionLength], device: device),
            tensor(mask, [rows, completionLength], device: device),
            promptLength, completionLength);
    }

    public void Dispose()
    {
        InputIds.Dispose();
        Positions.Dispose();
        KeyMask?.Dispose();
        Targets.Dispose();
        CompletionMask.Dispose();
    }
}
