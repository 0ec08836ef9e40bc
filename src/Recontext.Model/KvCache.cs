using static TorchSharp.torch;

namespace Recontext.Model;

/// <summary>
/// Keys and values of every layer for the tokens seen so far, preallocated to a fixed capacity so that each
/// decoding step writes in place instead of concatenating. It owns its tensors (outside any dispose scope);
/// dispose it when generation ends.
/// </summary>
public sealed class KvCache : IKeyValueCache, IDisposable
{
    readonly Tensor[] keys;     // per layer: [B, Hkv, capacity, D]
    readonly Tensor[] values;

    /// <summary>Tokens already written (the same for every layer once a forward pass completes).</summary>
    public int Length { get; private set; }

    public int Capacity { get; }

    public KvCache(TransformerConfig config, int batchSize, int capacity, ScalarType dtype, Device device)
    {
        Capacity = capacity;
        keys = new Tensor[config.NumHiddenLayers];
        values = new Tensor[config.NumHiddenLayers];
        for (int i = 0; i < config.NumHiddenLayers; i++)
        {
            keys[i] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
            values[i] = zeros([batchSize, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
        }
    }

    /// <summary>Writes one layer's new keys and values after the cached ones and returns views of all of them.</summary>
    /// <param name="key">[B, Hkv, T, D] for the new tokens</param>
    /// <returns>keys and values [B, Hkv, Length + T, D]</returns>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor key, Tensor value)
    {
        int newTokens = (int)key.shape[2];
        if (Length + newTokens > Capacity)
            throw new InvalidOperationException($"KV cache overflow: {Length} + {newTokens} tokens exceed capacity {Capacity}");
        keys[layer].narrow(2, Length, newTokens).copy_(key);
        values[layer].narrow(2, Length, newTokens).copy_(value);
        return (keys[layer].narrow(2, 0, Length + newTokens), values[layer].narrow(2, 0, Length + newTokens));
    }

    /// <summary>
    /// Fills this cache with rows of another one (row b gets <paramref name="sourceRows"/>[b] of
    /// <paramref name="source"/>): the prefill of prompts shared by several samples runs once per prompt.
    /// </summary>
    /// <param name="sourceRows">[B] int64 row indices into <paramref name="source"/></param>
    public void CopyRows(KvCache source, Tensor sourceRows)
    {
        if (Length != 0) throw new InvalidOperationException($"CopyRows fills an empty cache; this one holds {Length} tokens");
        if (source.Length > Capacity) throw new InvalidOperationException($"KV cache overflow: {source.Length} tokens exceed capacity {Capacity}");
        using var scope = NewDisposeScope();
        for (int layer = 0; layer < keys.Length; layer++)
        {
            keys[layer].narrow(2, 0, source.Length).copy_(source.keys[layer].narrow(2, 0, source.Length).index_select(0, sourceRows));
            values[layer].narrow(2, 0, source.Length).copy_(source.values[layer].narrow(2, 0, source.Length).index_select(0, sourceRows));
        }
        Length = source.Length;
    }

    /// <summary>Called by the model once every layer has appended <paramref name="newTokens"/>.</summary>
    public void Advance(int newTokens) => Length += newTokens;

    public void Dispose()
    {
        foreach (var t in keys) t.Dispose();
        foreach (var t in values) t.Dispose();
    }
}
