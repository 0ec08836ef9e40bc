using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Recontext.Prompts.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> with a byte-level BPE model (GPT-2 / Qwen2 / Qwen3 family), backed by
/// Microsoft.ML.Tokenizers. This class is the glue: it reads vocabulary, merges, added tokens, the split regex
/// and the normalizer from the file and hands them to <see cref="BpeTokenizer"/> in byte-level mode.
/// </summary>
public sealed class HfBpeTokenizer : ITokenizer
{
    // GPT-2's pre-tokenizer regex: used when the file's ByteLevel pre-tokenizer asks for its built-in split.
    const string Gpt2Split = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    readonly BpeTokenizer inner;
    readonly Dictionary<string, int> specialTokens;

    public int VocabSize { get; }
    public IReadOnlyDictionary<string, int> SpecialTokens => specialTokens;
    public int? EndOfSequenceId { get; }
    public int PaddingId { get; }

    HfBpeTokenizer(BpeTokenizer inner, Dictionary<string, int> specialTokens, int vocabSize, int? eos, int? pad)
    {
        this.inner = inner;
        this.specialTokens = specialTokens;
        VocabSize = vocabSize;
        EndOfSequenceId = eos;
        PaddingId = pad ?? (specialTokens.TryGetValue("<|endoftext|>", out var endOfText) ? endOfText : eos ?? 0);
    }

    /// <param name="tokenizerJsonPath">path of a HF tokenizer.json</param>
    /// <param name="endOfSequenceToken">text of the token that ends an assistant turn (Qwen: &lt;|im_end|&gt;)</param>
    /// <param name="paddingToken">text of the padding token (tokenizer_config's pad_token); by default
    /// &lt;|endoftext|&gt; when the vocabulary has it, else the end-of-sequence token</param>
    /// <exception cref="ArgumentException">a named end-of-sequence or padding token is not in the vocabulary</exception>
    public static HfBpeTokenizer Load(string tokenizerJsonPath, string? endOfSequenceToken = "<|im_end|>", string? paddingToken = null)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(tokenizerJsonPath));
        var root = document.RootElement;
        var model = Required(root, "model", tokenizerJsonPath);
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "BPE") throw new NotSupportedException($"{tokenizerJsonPath}: model.type is '{type}', only 'BPE' is supported");

        var vocabulary = new Dictionary<string, int>();
        foreach (var entry in Required(model, "vocab", tokenizerJsonPath).EnumerateObject()) vocabulary[entry.Name] = entry.Value.GetInt32();

        var merges = new List<string>();
        foreach (var merge in Required(model, "merges", tokenizerJsonPath).EnumerateArray())
            merges.Add(merge.ValueKind == JsonValueKind.Array ? $"{merge[0].GetString()} {merge[1].GetString()}" : merge.GetString()!);

        var specials = new Dictionary<string, int>();
        if (root.TryGetProperty("added_tokens", out var added))
            foreach (var token in added.EnumerateArray()) specials[token.GetProperty("content").GetString()!] = token.GetProperty("id").GetInt32();

        var split = new Regex(SplitPattern(root, tokenizerJsonPath), RegexOptions.Compiled);
        var options = new BpeOptions(vocabulary)
        {
            Merges = merges,
            SpecialTokens = specials,
            PreTokenizer = new RegexPreTokenizer(split, specials),
            Normalizer = UsesNfc(root) ? new NfcNormalizer() : null,
            ByteLevel = true,
        };
        int vocabSize = Math.Max(vocabulary.Values.DefaultIfEmpty(-1).Max(), specials.Values.DefaultIfEmpty(-1).Max()) + 1;
        int? eos = endOfSequenceToken is not null && specials.TryGetValue(endOfSequenceToken, out var e) ? e : null;
        int? pad = null;
        if (paddingToken is not null)
            pad = specials.TryGetValue(paddingToken, out var p) ? p
                : throw new ArgumentException($"{tokenizerJsonPath}: the padding token '{paddingToken}' is not one of its added tokens");
        return new HfBpeTokenizer(BpeTokenizer.Create(options), specials, vocabSize, eos, pad);
    }

    public int[] Encode(string text) => inner.EncodeToIds(text).ToArray();

    public string Decode(IEnumerable<int> ids) => inner.Decode(ids);

    static string SplitPattern(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind == JsonValueKind.Null)
            throw new NotSupportedException($"{path}: a byte-level BPE needs a pre_tokenizer");
        var steps = pre.GetProperty("type").GetString() == "Sequence"
            ? pre.GetProperty("pretokenizers").EnumerateArray().ToList()
            : [pre];
        foreach (var step in steps)
        {
            var kind = step.GetProperty("type").GetString();
            if (kind == "Split" && step.GetProperty("pattern").TryGetProperty("Regex", out var regex)) return regex.GetString()!;
            if (kind == "ByteLevel" && step.TryGetProperty("use_regex", out var useRegex) && useRegex.GetBoolean()) return Gpt2Split;
        }
        throw new NotSupportedException($"{path}: pre_tokenizer has neither a Split regex nor a ByteLevel step with use_regex");
    }

    static bool UsesNfc(JsonElement root) =>
        root.TryGetProperty("normalizer", out var n) && n.ValueKind == JsonValueKind.Object &&
        n.TryGetProperty("type", out var type) && type.GetString() == "NFC";

    static JsonElement Required(JsonElement element, string name, string path) =>
        element.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"{path}: missing field '{name}'");

    sealed class NfcNormalizer : Normalizer
    {
        public override string Normalize(string original) => original.Normalize(NormalizationForm.FormC);

        public override string Normalize(ReadOnlySpan<char> original) => original.ToString().Normalize(NormalizationForm.FormC);
    }
}
