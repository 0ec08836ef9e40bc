using System.Text;
using Recontext.Contracts;

namespace Recontext.Prompts.Tokenization;

/// <summary>
/// ChatML, the chat format of Qwen models:
/// <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per turn, and <c>&lt;|im_start|&gt;assistant\n</c> as the
/// generation prompt. A turn's content is written verbatim; roles are checked.
/// </summary>
public static class ChatMlTemplate
{
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    static readonly HashSet<string> Roles = ["system", "user", "assistant"];

    public static string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        var text = new StringBuilder();
        for (int i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (!Roles.Contains(message.Role))
                throw new ArgumentException($"messages[{i}].role must be one of system, user, assistant; got '{message.Role}'");
            text.Append(ImStart).Append(message.Role).Append('\n').Append(message.Content).Append(ImEnd).Append('\n');
        }
        if (addGenerationPrompt) text.Append(ImStart).Append("assistant\n");
        return text.ToString();
    }
}
