using System.Text;

namespace Recontext.Prompts.Tokenization;

/// <summary>
/// Byte-level tokenizer for toy models: ids 0–255 are the UTF-8 bytes of the text, so any Unicode string
/// round-trips exactly; a few ChatML special tokens follow (256 = &lt;|endoftext|&gt;, 257 = &lt;|im_start|&gt;,
/// 258 = &lt;|im_end|&gt;, 259 = &lt;|pad|&gt;).
/// </summary>
public sealed class ByteTokenizer : ITokenizer
{
    public const int EndOfText = 256;
    public const int ImStart = 257;
    public const int ImEnd = 258;
    public const int Pad = 259;

    static readonly Dictionary<string, int> Specials = new()
    {
        ["<|endoftext|>"] = EndOfText,
        ["<|im_start|>"] = ImStart,
        ["<|im_end|>"] = ImEnd,
        ["<|pad|>"] = Pad,
    };

    static readonly string[] SpecialById = Specials.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();

    public int VocabSize => 256 + Specials.Count;

    public IReadOnlyDictionary<string, int> SpecialTokens => Specials;

    public int? EndOfSequenceId => ImEnd;

    public int PaddingId => Pad;

    public int[] Encode(string text)
    {
        var ids = new List<int>(text.Length + 8);
        foreach (var (piece, specialId) in SpecialTokenSplitter.Split(text, Specials))
        {
            if (specialId is int id) ids.Add(id);
            else foreach (var b in Encoding.UTF8.GetBytes(piece)) ids.Add(b);
        }
        return ids.ToArray();
    }

    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (id is >= 0 and < 256)
            {
                bytes.Add((byte)id);
                continue;
            }
            if (id < 256 || id >= VocabSize)
                throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is outside the byte tokenizer's 0..{VocabSize - 1}");
            text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
            text.Append(SpecialById[id - 256]);
        }
        text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
        return text.ToString();
    }
}
