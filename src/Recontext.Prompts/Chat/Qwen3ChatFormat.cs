using Recontext.Contracts;
using Recontext.Prompts.Tokenization;

namespace Recontext.Prompts.Chat;

/// <summary>
/// Qwen3's ChatML with its reasoning convention: the model reasons inside <c>&lt;think&gt;...&lt;/think&gt;</c> before
/// answering. With thinking disabled the generation prompt already holds an empty think block (what Qwen3's template
/// writes for <c>enable_thinking=False</c>), so the model answers at once. Turns are written verbatim: a completion
/// that carries its own think block keeps it, which is what training on sampled completions needs.
/// </summary>
public sealed class Qwen3ChatFormat(bool thinking = true) : IChatFormat
{
    public const string EmptyThinkBlock = "<think>\n\n</think>\n\n";

    public bool Thinking { get; } = thinking;

    public string Name => Thinking ? "Qwen3 ChatML (thinking)" : "Qwen3 ChatML (thinking disabled)";

    public string EndOfTurn => ChatMlTemplate.ImEnd;

    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        var text = ChatMlTemplate.Render(messages, addGenerationPrompt);
        return addGenerationPrompt && !Thinking ? text + EmptyThinkBlock : text;
    }
}
