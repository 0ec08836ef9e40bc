using static TorchSharp.torch;

namespace Recontext.Model;

/// <summary>
/// Where attention finds the keys and values of tokens that came before the ones in the current forward pass:
/// a preallocated buffer while sampling (<see cref="KvCache"/>), or a prompt's keys and values shared by several
/// completions while training (<see cref="Scoring.SharedPrefix"/>).
/// </summary>
public interface IKeyValueCache
{
    /// <summary>Tokens before the current forward pass (every layer sees the same number).</summary>
    int Length { get; }

    /// <summary>Combines one layer's new keys and values with the earlier ones.</summary>
    /// <param name="key">[B, Hkv, T, D] for the new tokens</param>
    /// <returns>keys and values [B, Hkv, Length + T, D]</returns>
    (Tensor Keys, Tensor Values) Append(int layer, Tensor key, Tensor value);

    /// <summary>Called by the model once every layer has appended <paramref name="newTokens"/>.</summary>
    void Advance(int newTokens);
}
