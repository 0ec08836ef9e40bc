using Recontext.Contracts;
using Recontext.Model.Modules;
using Recontext.Prompts.Chat;
using Recontext.Prompts.Tokenization;
using static TorchSharp.torch;

namespace Recontext.Model.Checkpoints;

/// <summary>
/// A Hugging Face model folder loaded for use: the network, its tokenizer (tokenizer.json with tokenizer_config.json's
/// special tokens) and its family's chat format. Prompts are encoded here so that every caller lays them out alike.
/// </summary>
public sealed class PretrainedModel : IDisposable
{
    public string Directory { get; }
    public CausalLm Model { get; }
    public HfBpeTokenizer Tokenizer { get; }
    public TokenizerSettings TokenizerSettings { get; }
    public IChatFormat ChatFormat { get; }

    PretrainedModel(string directory, CausalLm model, HfBpeTokenizer tokenizer, TokenizerSettings settings, IChatFormat chat)
    {
        (Directory, Model, Tokenizer, TokenizerSettings, ChatFormat) = (directory, model, tokenizer, settings, chat);
    }

    /// <param name="thinking">Qwen3: whether the generation prompt leaves room to reason (false writes an empty think block)</param>
    /// <exception cref="FileNotFoundException">config.json, the weights or tokenizer.json is missing (named)</exception>
    /// <exception cref="ArgumentException">an unsupported family, or a tokenizer with more ids than the model's vocabulary</exception>
    public static PretrainedModel Load(string directory, Device? device = null, bool thinking = true)
    {
        var tokenizerJson = Path.Combine(directory, TokenizerSettings.TokenizerFile);
        if (!File.Exists(tokenizerJson)) throw new FileNotFoundException($"no {TokenizerSettings.TokenizerFile} in {directory}", tokenizerJson);
        var model = Checkpoint.Load(directory, device);
        try
        {
            var chat = ChatFormats.ForFamily(model.Config.ModelType, thinking);
            var settings = TokenizerSettings.Read(directory);
            var tokenizer = HfBpeTokenizer.Load(tokenizerJson, chat.EndOfTurn, settings.PadToken);
            if (tokenizer.VocabSize > model.Config.VocabSize)
                throw new ArgumentException($"{tokenizerJson} has {tokenizer.VocabSize} ids but the model's vocab_size is {model.Config.VocabSize}");
            if (!tokenizer.SpecialTokens.ContainsKey(chat.EndOfTurn))
                throw new ArgumentException($"{tokenizerJson} has no '{chat.EndOfTurn}' token, which the {chat.Name} chat format ends turns with");
            return new PretrainedModel(directory, model, tokenizer, settings, chat);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The id prepended to raw text, when the tokenizer's settings ask for one.</summary>
    public int? BosIdForRawText =>
        TokenizerSettings is { AddBosToken: true, BosToken: { } bos } && Tokenizer.SpecialTokens.TryGetValue(bos, out var id) ? id : null;

    /// <summary>The conversation in the family's chat format, ending with the assistant's header.</summary>
    public int[] EncodeChat(IReadOnlyList<ChatMessage> messages) => Tokenizer.Encode(ChatFormat.Render(messages, addGenerationPrompt: true));

    /// <summary>Text as it is, with the beginning-of-sequence token when the tokenizer prepends one.</summary>
    public int[] EncodeRaw(string text) => BosIdForRawText is int bos ? [bos, .. Tokenizer.Encode(text)] : Tokenizer.Encode(text);

    /// <summary>Ids that end a generation: the chat format's end of turn, the config's end-of-sequence ids and the
    /// tokenizer's own end-of-sequence token.</summary>
    public IReadOnlyList<int> StopTokenIds
    {
        get
        {
            var ids = new SortedSet<int>(Model.Config.EosTokenIds?.Ids ?? []);
            if (Tokenizer.EndOfSequenceId is int endOfTurn) ids.Add(endOfTurn);
            if (TokenizerSettings.EosToken is { } eos && Tokenizer.SpecialTokens.TryGetValue(eos, out var eosId)) ids.Add(eosId);
            return ids.ToList();
        }
    }

    public void Dispose() => Model.Dispose();
}
