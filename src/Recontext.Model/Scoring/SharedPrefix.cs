using static TorchSharp.torch;

namespace Recontext.Model.Scoring;

/// <summary>
/// Keys and values of a few distinct prompts, shared by many completions. The prompt pass writes through
/// <see cref="Recorder"/>, which keeps each layer's keys and values (with their autograd history); the completion
/// pass then sees, per row, its prompt's keys and values followed by its own. Unlike <see cref="KvCache"/> nothing is
/// written in place, so gradients flow back into the prompt pass. A pass run layer by layer records one layer at a
/// time (<paramref name="firstLayer"/>: the first layer this prefix records).
/// </summary>
public sealed class SharedPrefix(Tensor rowPrompt, int firstLayer) : IKeyValueCache, IDisposable
{
    readonly int first = firstLayer;
    readonly List<Tensor> keys = [];     // per layer: [U, Hkv, P, D]
    readonly List<Tensor> values = [];
    int promptTokens = -1;
    int appended;

    /// <summary>The cache to hand the prompt pass: it records and returns the prompts' own keys and values.</summary>
    public IKeyValueCache Recorder => new Recording(this);

    public int Length => promptTokens < 0 ? throw new InvalidOperationException("run the prompt pass through Recorder first") : promptTokens + appended;

    public (Tensor Keys, Tensor Values) Append(int layer, Tensor key, Tensor value)
    {
        int recorded = layer - first;
        if (recorded < 0 || recorded >= keys.Count) throw new InvalidOperationException($"layer {layer} has no recorded prompt keys (layers {first}..{first + keys.Count - 1} recorded)");
        var prefixKeys = keys[recorded].index_select(0, rowPrompt);           // [B, Hkv, P, D]
        var prefixValues = values[recorded].index_select(0, rowPrompt);
        return (cat([prefixKeys, key], 2), cat([prefixValues, value], 2));
    }

    public void Advance(int newTokens) => appended += newTokens;

    public void Dispose()
    {
        foreach (var t in keys) t.Dispose();
        foreach (var t in values) t.Dispose();
    }

    sealed class Recording(SharedPrefix owner) : IKeyValueCache
    {
        public int Length => 0;

        public (Tensor Keys, Tensor Values) Append(int layer, Tensor key, Tensor value)
        {
            if (layer != owner.first + owner.keys.Count) throw new InvalidOperationException($"layers must be recorded in order: got {layer}, expected {owner.first + owner.keys.Count}");
            // Kept past the attention call's dispose scope; the owner disposes them.
            owner.keys.Add(key.DetachFromDisposeScope());
            owner.values.Add(value.DetachFromDisposeScope());
            return (key, value);
        }

        public void Advance(int newTokens) => owner.promptTokens = newTokens;
    }
}
