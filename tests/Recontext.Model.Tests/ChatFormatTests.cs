using System.Text.Json;
using Recontext.Contracts;
using Recontext.Prompts.Chat;

namespace Recontext.Model.Tests;

/// <summary>Each family's chat format renders what the chat template its tokenizer ships with renders (Jinja2, as
/// Hugging Face runs it: tests/reference/render_chat_template.py).</summary>
public class ChatFormatTests
{
    public static TheoryData<string> Conversations => new()
    {
        """[{"role":"user","content":"Write f(x) = x + 3."}]""",
        """[{"role":"system","content":"You are a careful programmer."},{"role":"user","content":"  Fix the test, not the code?\n"}]""",
        """[{"role":"system","content":"S"},{"role":"user","content":"first"},{"role":"assistant","content":"an answer"},{"role":"user","content":"second"}]""",
    };

    [Theory]
    [MemberData(nameof(Conversations))]
    public void Qwen3MatchesItsTemplateWithAndWithoutThinking(string conversation)
    {
        var config = Path.Combine(TokenizerTests.TokenizerFolder("qwen3"), "tokenizer_config.json");
        Assert.Equal(Template(config, conversation, thinking: true), new Qwen3ChatFormat(thinking: true).Render(Messages(conversation), addGenerationPrompt: true));
        Assert.Equal(Template(config, conversation, thinking: false), new Qwen3ChatFormat(thinking: false).Render(Messages(conversation), addGenerationPrompt: true));
    }

    [Theory]
    [MemberData(nameof(Conversations))]
    public void Llama3MatchesItsTemplate(string conversation)
    {
        var config = Path.Combine(TokenizerTests.TokenizerFolder("llama3"), "tokenizer_config.json");
        Assert.Equal(Template(config, conversation, thinking: true), new Llama3ChatFormat().Render(Messages(conversation), addGenerationPrompt: true));
    }

    [Fact]
    public void FamiliesHaveTheirFormatsAndBadRolesAreNamed()
    {
        Assert.IsType<Qwen3ChatFormat>(ChatFormats.ForFamily("qwen3"));
        Assert.IsType<ChatMlFormat>(ChatFormats.ForFamily("qwen2"));
        Assert.IsType<Llama3ChatFormat>(ChatFormats.ForFamily("llama"));
        Assert.Equal("<|eot_id|>", ChatFormats.ForFamily("llama").EndOfTurn);
        Assert.Contains("supported: qwen3, qwen2, llama", Assert.Throws<ArgumentException>(() => ChatFormats.ForFamily("gpt2")).Message);
        Assert.Contains("messages[1].role", Assert.Throws<ArgumentException>(() =>
            new Llama3ChatFormat().Render([ChatMessage.User("a"), new ChatMessage("tool", "b")], true)).Message);
    }

    static IReadOnlyList<ChatMessage> Messages(string json) =>
        JsonSerializer.Deserialize<List<ChatMessage>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    static string Template(string tokenizerConfig, string conversation, bool thinking)
    {
        var output = ReferenceScripts.Run("render_chat_template.py", thinking ? [tokenizerConfig] : [tokenizerConfig, "--no-thinking"], conversation);
        return JsonSerializer.Deserialize<string>(output)!;
    }
}
