using Recontext.Model.Modules;
using Recontext.Prompts.Tokenization;

namespace Recontext.Model.Checkpoints;

/// <summary>
/// Writes a randomly initialised model folder in exactly Hugging Face's layout: <c>config.json</c> (the family's
/// fields), the weights under HF's key names (one file, or shards with an index), and a real tokenizer
/// (<c>tokenizer.json</c> + <c>tokenizer_config.json</c>) copied from a folder holding one. What
/// <c>recontext model init</c> runs; tests and benchmarks use such folders because no weights can be downloaded.
/// </summary>
public static class ModelInitializer
{
    /// <param name="Family">qwen3, qwen2 or llama</param>
    /// <param name="Size">tiny, small or 0.6b (<see cref="ModelPresets"/>)</param>
    /// <param name="TokenizerDirectory">a folder with tokenizer.json (and tokenizer_config.json) for the family</param>
    /// <param name="StorageDtype">float32, bfloat16 or float16</param>
    /// <param name="TieEmbeddings">override the family's default</param>
    /// <param name="MaxShardBytes">split the weights into shards of at most this many bytes; null for one file</param>
    public sealed record Options(string Family, string Size, string TokenizerDirectory, string StorageDtype = "bfloat16", long Seed = 0,
                                 bool? TieEmbeddings = null, long? MaxShardBytes = null, double InitStd = 0.02);

    /// <exception cref="ArgumentException">unknown family, size or dtype; a tokenizer that does not fit the vocabulary</exception>
    /// <exception cref="FileNotFoundException">no tokenizer.json in the tokenizer folder</exception>
    public static ModelFolder Write(Options options, string outDirectory, Action<string>? progress = null)
    {
        var config = ModelPresets.For(options.Family, options.Size, options.TieEmbeddings);
        if (!Checkpoint.StorageDtypes.ContainsKey(options.StorageDtype))
            throw new ArgumentException($"dtype '{options.StorageDtype}' is not supported; supported: {string.Join(", ", Checkpoint.StorageDtypes.Keys)}");
        var tokenizerJson = Path.Combine(options.TokenizerDirectory, TokenizerSettings.TokenizerFile);
        if (!File.Exists(tokenizerJson)) throw new FileNotFoundException($"no {TokenizerSettings.TokenizerFile} in {options.TokenizerDirectory}", tokenizerJson);

        progress?.Invoke($"checking the tokenizer in {options.TokenizerDirectory}");
        var tokenizer = HfBpeTokenizer.Load(tokenizerJson, endOfSequenceToken: null);
        if (tokenizer.VocabSize > config.VocabSize)
            throw new ArgumentException($"the tokenizer in {options.TokenizerDirectory} has {tokenizer.VocabSize} ids but {options.Family}'s vocab_size is " +
                                        $"{config.VocabSize}: give the {options.Family} tokenizer ({ModelPresets.TokenizerAsset(options.Family)})");
        foreach (var id in (config.EosTokenIds?.Ids ?? []).Append(config.BosTokenId ?? 0))
            if (id >= tokenizer.VocabSize)
                throw new ArgumentException($"the tokenizer in {options.TokenizerDirectory} has no id {id}, which {options.Family}'s config names as a special token");

        progress?.Invoke($"initialising {options.Family} {options.Size}: {config.NumHiddenLayers} layers, width {config.HiddenSize}, vocabulary {config.VocabSize}");
        using var model = CausalLm.Create(config, options.Seed, options.InitStd);
        progress?.Invoke($"writing {options.StorageDtype} weights to {outDirectory}");
        Checkpoint.Save(model, outDirectory, options.StorageDtype, options.MaxShardBytes);
        File.Copy(tokenizerJson, Path.Combine(outDirectory, TokenizerSettings.TokenizerFile), overwrite: true);
        var tokenizerConfig = Path.Combine(options.TokenizerDirectory, TokenizerSettings.ConfigFile);
        if (File.Exists(tokenizerConfig)) File.Copy(tokenizerConfig, Path.Combine(outDirectory, TokenizerSettings.ConfigFile), overwrite: true);
        return ModelFolder.Read(outDirectory);
    }
}
