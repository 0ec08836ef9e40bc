using Recontext.Contracts;
using Recontext.Prompts.Tokenization;

namespace Recontext.Prompts.Chat;

/// <summary>Qwen2's ChatML: <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per turn.</summary>
public sealed class ChatMlFormat : IChatFormat
{
    public string Name => "ChatML";

    public string EndOfTurn => ChatMlTemplate.ImEnd;

    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) => ChatMlTemplate.Render(messages, addGenerationPrompt);
}
