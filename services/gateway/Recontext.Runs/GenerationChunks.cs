using Recontext.Contracts;

namespace Recontext.Runs;

/// <summary>
/// Splits a batch's generation into chunks of prompt groups, one <see cref="GenerateRollouts"/> message each, so that
/// generator replicas competing on one queue share a step. Each chunk samples on its own with a seed derived from
/// (run, step, chunk) (<see cref="RunSeeds.Chunk"/>), so the samples — and everything trained on them — are the same
/// with one replica or three. Why chunks and not one message per group: a generator samples a chunk as one padded
/// batch with one random stream, which is what makes CPU sampling fast; per-group seeds inside one batch would need
/// every row's logits to be bit-identical whatever else shares its batch, which float arithmetic does not promise.
/// </summary>
public static class GenerationChunks
{
    /// <param name="groupsPerChunk">groups per chunk (the last may hold fewer); null: the whole batch in one message</param>
    public static IReadOnlyList<GenerateRollouts> Split(GenerateRollouts batch, int? groupsPerChunk)
    {
        int size = groupsPerChunk ?? batch.Prompts.Length;
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(groupsPerChunk), groupsPerChunk, "groups per chunk must be at least 1");
        int count = Math.Max(1, (batch.Prompts.Length + size - 1) / size);
        if (count == 1) return [batch];
        return Enumerable.Range(0, count).Select(c => batch with
        {
            Prompts = batch.Prompts[(c * size)..Math.Min(batch.Prompts.Length, (c + 1) * size)],
            Chunk = c,
            Chunks = count,
            Seed = RunSeeds.Chunk(batch.Seed, c),
        }).ToList();
    }
}
