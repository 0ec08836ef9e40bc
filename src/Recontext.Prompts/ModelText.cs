using System.Collections.Concurrent;
using System.Text.Json;
using Recontext.Contracts;
using Recontext.Prompts.Chat;
using Recontext.Prompts.Tokenization;

namespace Recontext.Prompts;

/// <summary>
/// How a run's model reads and writes text: its tokenizer, its chat format and the ids that end an answer. A Hugging
/// Face model folder (one holding <c>tokenizer.json</c>) brings its own: the tokenizer with tokenizer_config.json's
/// special tokens, the family's chat format (by config.json's <c>model_type</c>), and as stop ids the format's end of
/// turn, config.json's <c>eos_token_id</c>(s) and the tokenizer's EOS. Anything else (no folder, or a toy checkpoint)
/// is the organism's: the byte tokenizer and ChatML. Every role of a run builds prompts and reads completions through
/// the same instance, so they cannot disagree.
/// </summary>
public sealed class ModelText
{
    static readonly ConcurrentDictionary<string, Lazy<ModelText>> Loaded = new(StringComparer.Ordinal);

    ModelText(ITokenizer tokenizer, IChatFormat chat, IReadOnlyList<int> stopTokenIds, TokenizerSettings settings, string? folder)
    {
        (Tokenizer, Chat, StopTokenIds, Settings, Folder) = (tokenizer, chat, stopTokenIds, settings, folder);
    }

    public ITokenizer Tokenizer { get; }
    public IChatFormat Chat { get; }
    public IReadOnlyList<int> StopTokenIds { get; }
    public TokenizerSettings Settings { get; }

    /// <summary>The model folder the tokenizer came from; null for the organism's byte tokenizer.</summary>
    public string? Folder { get; }

    /// <summary>The organism's: byte tokenizer, ChatML, stop at &lt;|im_end|&gt;.</summary>
    public static ModelText Organism { get; } =
        new(new ByteTokenizer(), new ChatMlFormat(), [ByteTokenizer.ImEnd], new TokenizerSettings(null, ChatMlTemplate.ImEnd, null, false), null);

    /// <summary>The text side of a model folder, loaded once per process and folder (a tokenizer takes seconds to
    /// build); the organism's when <paramref name="modelFolder"/> is null or holds no tokenizer.json.</summary>
    /// <param name="thinking">Qwen3: whether generation prompts leave room to reason</param>
    /// <exception cref="ArgumentException">an unsupported family, or a special token the tokenizer lacks (named)</exception>
    /// <exception cref="InvalidDataException">a tokenizer file that cannot be read (named)</exception>
    public static ModelText For(string? modelFolder, bool thinking = true)
    {
        if (modelFolder is null || !File.Exists(Path.Combine(modelFolder, TokenizerSettings.TokenizerFile))) return Organism;
        var key = $"{Path.GetFullPath(modelFolder)}|{thinking}";
        var lazy = Loaded.GetOrAdd(key, _ => new Lazy<ModelText>(() => Load(modelFolder, thinking)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Loaded.TryRemove(key, out _);   // a folder fixed later loads on the next call
            throw;
        }
    }

    static ModelText Load(string folder, bool thinking)
    {
        var (family, eosIds) = ReadConfig(folder);
        var chat = ChatFormats.ForFamily(family, thinking);
        var settings = TokenizerSettings.Read(folder);
        var tokenizerJson = Path.Combine(folder, TokenizerSettings.TokenizerFile);
        var tokenizer = HfBpeTokenizer.Load(tokenizerJson, chat.EndOfTurn, settings.PadToken);
        if (tokenizer.EndOfSequenceId is null)
            throw new ArgumentException($"{tokenizerJson} has no '{chat.EndOfTurn}' token, which the {chat.Name} chat format ends turns with");
        var stops = new SortedSet<int>(eosIds) { tokenizer.EndOfSequenceId.Value };
        if (settings.EosToken is { } eos && tokenizer.SpecialTokens.TryGetValue(eos, out var eosId)) stops.Add(eosId);
        return new ModelText(tokenizer, chat, stops.ToList(), settings, Path.GetFullPath(folder));
    }

    static (string Family, IReadOnlyList<int> EosIds) ReadConfig(string folder)
    {
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path)) throw new FileNotFoundException($"no config.json in {folder}", path);
        try
        {
            using var config = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = config.RootElement;
            var family = root.TryGetProperty("model_type", out var type) ? type.GetString() ?? "" : "";
            IReadOnlyList<int> eos = root.TryGetProperty("eos_token_id", out var e) ? e.ValueKind switch
            {
                JsonValueKind.Number => [e.GetInt32()],
                JsonValueKind.Array => e.EnumerateArray().Select(x => x.GetInt32()).ToList(),
                _ => [],
            } : [];
            return (family, eos);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>A conversation's token ids in the chat format, ending with the assistant's header.</summary>
    public int[] EncodePrompt(IReadOnlyList<ChatMessage> messages) => Tokenizer.Encode(Chat.Render(messages, addGenerationPrompt: true));

    /// <summary>The id prepended to raw text, when the tokenizer's settings ask for one.</summary>
    public int? BosIdForRawText => Settings is { AddBosToken: true, BosToken: { } bos } && Tokenizer.SpecialTokens.TryGetValue(bos, out var id) ? id : null;

    /// <summary>Text as it is, with the beginning-of-sequence token when the tokenizer prepends one.</summary>
    public int[] EncodeRaw(string text) => BosIdForRawText is int bos ? [bos, .. Tokenizer.Encode(text)] : Tokenizer.Encode(text);
}
