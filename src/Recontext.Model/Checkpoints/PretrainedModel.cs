using Recontext.Model.Modules;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;
using static TorchSharp.torch;

namespace Recontext.Model.Checkpoints;

/// <summary>A Hugging Face model folder loaded for use: the network and how it reads and writes text
/// (<see cref="ModelText"/>: tokenizer, chat format, stop ids).</summary>
public sealed class PretrainedModel : IDisposable
{
    public string Directory { get; }
    public CausalLm Model { get; }
    public ModelText Text { get; }

    PretrainedModel(string directory, CausalLm model, ModelText text) => (Directory, Model, Text) = (directory, model, text);

    public ITokenizer Tokenizer => Text.Tokenizer;

    /// <param name="thinking">Qwen3: whether the generation prompt leaves room to reason (false writes an empty think block)</param>
    /// <exception cref="FileNotFoundException">config.json, the weights or tokenizer.json is missing (named)</exception>
    /// <exception cref="ArgumentException">an unsupported family, or a tokenizer with more ids than the model's vocabulary</exception>
    /// <param name="dtype">the dtype the weights take in memory (<see cref="ComputeDtype"/>); null: float32</param>
    public static PretrainedModel Load(string directory, Device? device = null, bool thinking = true, ScalarType? dtype = null)
    {
        var tokenizerJson = Path.Combine(directory, TokenizerSettings.TokenizerFile);
        if (!File.Exists(tokenizerJson)) throw new FileNotFoundException($"no {TokenizerSettings.TokenizerFile} in {directory}", tokenizerJson);
        var model = Checkpoint.Load(directory, device, dtype);
        try
        {
            var text = ModelText.For(directory, thinking);
            if (text.Tokenizer.VocabSize > model.Config.VocabSize)
                throw new ArgumentException($"{tokenizerJson} has {text.Tokenizer.VocabSize} ids but the model's vocab_size is {model.Config.VocabSize}");
            return new PretrainedModel(directory, model, text);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Dispose() => Model.Dispose();
}
