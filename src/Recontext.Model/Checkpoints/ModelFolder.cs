namespace Recontext.Model.Checkpoints;

/// <summary>
/// What a model folder in Hugging Face layout holds, read from its config and its safetensors headers without loading
/// a weight: the family, the shapes, every tensor, the parameter count and storage dtypes, and the memory a training
/// step needs (<see cref="TrainingMemory"/>). What <c>recontext model inspect</c> prints.
/// </summary>
public sealed record ModelFolder(string Directory, TransformerConfig Config, IReadOnlyList<SafeTensors.Entry> Tensors, long FileBytes)
{
    public long Parameters => Tensors.Sum(t => t.Elements);

    public IReadOnlyList<string> Dtypes => Tensors.Select(t => t.Dtype).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>How prompts are laid out for this family (<see cref="Prompts.Chat.ChatFormats"/>), with the token that
    /// ends a turn.</summary>
    public string ChatFormat
    {
        get
        {
            var format = Prompts.Chat.ChatFormats.ForFamily(Config.ModelType);
            return $"{format.Name}, turns end with {format.EndOfTurn}";
        }
    }

    /// <summary>Whether the folder holds a tokenizer (tokenizer.json).</summary>
    public bool HasTokenizer => File.Exists(Path.Combine(Directory, Prompts.Tokenization.TokenizerSettings.TokenizerFile));

    /// <exception cref="FileNotFoundException">no config.json, or neither weights file nor shard index</exception>
    /// <exception cref="ArgumentException">the config is invalid or of an unsupported family (the message names it)</exception>
    public static ModelFolder Read(string directory)
    {
        var configPath = Path.Combine(directory, Checkpoint.ConfigFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"no {Checkpoint.ConfigFile} in {directory}", configPath);
        var config = TransformerConfig.FromJson(File.ReadAllText(configPath));
        var files = Checkpoint.WeightFiles(directory);
        var tensors = files.SelectMany(SafeTensors.ReadEntries).ToList();
        return new ModelFolder(directory, config, tensors, files.Sum(f => new FileInfo(f).Length));
    }
}
