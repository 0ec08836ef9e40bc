using static TorchSharp.torch;

namespace Recontext.Model.Generation;

/// <summary>
/// Host-side token grid for generation: prompts left-padded to a common length, room for new tokens on the
/// right, a validity flag per cell and position ids that count only real tokens.
/// </summary>
public sealed class PaddedBatch : IDisposable
{
    readonly long[,] ids;
    readonly long[,] positions;
    readonly bool[,] valid;
    readonly bool anyPadding;

    public int Rows { get; }
    public int PromptLength { get; }
    public int Capacity { get; }
    public int Length { get; private set; }

    PaddedBatch(int rows, int promptLength, int capacity, bool anyPadding)
    {
        Rows = rows;
        PromptLength = promptLength;
        Capacity = capacity;
        Length = promptLength;
        this.anyPadding = anyPadding;
        ids = new long[rows, capacity];
        positions = new long[rows, capacity];
        valid = new bool[rows, capacity];
    }

    public static PaddedBatch LeftPadded(IReadOnlyList<int[]> prompts, int extraColumns, int paddingId, int vocabSize)
    {
        if (prompts.Count == 0) throw new ArgumentException("prompts must not be empty");
        for (int row = 0; row < prompts.Count; row++)
        {
            if (prompts[row].Length == 0) throw new ArgumentException($"prompts[{row}] is empty");
            foreach (var id in prompts[row])
                if (id < 0 || id >= vocabSize) throw new ArgumentException($"prompts[{row}] has token id {id} outside 0..{vocabSize - 1}");
        }
        int promptLength = prompts.Max(p => p.Length);
        var batch = new PaddedBatch(prompts.Count, promptLength, promptLength + extraColumns, prompts.Any(p => p.Length != promptLength));
        for (int row = 0; row < prompts.Count; row++)
        {
            int pad = promptLength - prompts[row].Length;
            for (int col = 0; col < pad; col++) batch.ids[row, col] = paddingId;
            for (int i = 0; i < prompts[row].Length; i++)
            {
                batch.ids[row, pad + i] = prompts[row][i];
                batch.positions[row, pad + i] = i;
                batch.valid[row, pad + i] = true;
            }
        }
        return batch;
    }

    /// <summary>Writes one new token per row in the next column and returns that column's index.</summary>
    public int Append(long[] tokens)
    {
        if (Length >= Capacity) throw new InvalidOperationException($"batch is full ({Capacity} columns)");
        int col = Length++;
        for (int row = 0; row < Rows; row++)
        {
            ids[row, col] = tokens[row];
            positions[row, col] = positions[row, col - 1] + 1;
            valid[row, col] = true;
        }
        return col;
    }

    /// <returns>ids and positions of columns [start, start+count), each [B, count] int64</returns>
    public (Tensor Ids, Tensor Positions) Columns(int start, int count, Device device) =>
        (Slice(ids, start, count, device), Slice(positions, start, count, device));

    /// <returns>[B, length] bool validity of the first <paramref name="length"/> columns (a view; do not keep it past
    /// the batch), or null when no row is padded</returns>
    public Tensor? KeyMask(int length, Device device)
    {
        if (!anyPadding) return null;
        // Only the prompt columns can be padding: every appended column is real in every row. So the mask of the whole
        // capacity is known from the start and each step takes a prefix of it, instead of copying B × length flags.
        if (fullMask is null)
        {
            var flat = new bool[Rows * Capacity];
            for (int row = 0; row < Rows; row++)
                for (int col = 0; col < Capacity; col++) flat[row * Capacity + col] = col >= PromptLength || valid[row, col];
            fullMask = tensor(flat, [Rows, Capacity], device: device).DetachFromDisposeScope();
        }
        return fullMask.narrow(1, 0, length);
    }

    Tensor? fullMask;

    public void Dispose() => fullMask?.Dispose();

    Tensor Slice(long[,] source, int start, int count, Device device)
    {
        var flat = new long[Rows * count];
        for (int row = 0; row < Rows; row++)
            for (int col = 0; col < count; col++) flat[row * count + col] = source[row, start + col];
        return tensor(flat, [Rows, count], device: device);
    }
}
