using System.Text;
using Recontext.Contracts;

namespace Recontext.Prompts.Chat;

/// <summary>
/// Llama 3's header format: <c>&lt;|begin_of_text|&gt;</c> once, then per turn
/// <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c> with the content trimmed,
/// as the template shipped with Llama 3's tokenizer writes it. (Llama 3.1's template also adds a dated system
/// preamble; that is prompt content, not format, and is left to the experiment's system prompt.)
/// </summary>
public sealed class Llama3ChatFormat : IChatFormat
{
    public const string BeginOfText = "<|begin_of_text|>";
    public const string StartHeader = "<|start_header_id|>";
    public const string EndHeader = "<|end_header_id|>";
    public const string EndOfTurnToken = "<|eot_id|>";

    static readonly HashSet<string> Roles = ["system", "user", "assistant"];

    public string Name => "Llama 3";

    public string EndOfTurn => EndOfTurnToken;

    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        var text = new StringBuilder(BeginOfText);
        for (int i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (!Roles.Contains(message.Role))
                throw new ArgumentException($"messages[{i}].role must be one of system, user, assistant; got '{message.Role}'");
            text.Append(StartHeader).Append(message.Role).Append(EndHeader).Append("\n\n").Append(message.Content.Trim()).Append(EndOfTurnToken);
        }
        if (addGenerationPrompt) text.Append(StartHeader).Append("assistant").Append(EndHeader).Append("\n\n");
        return text.ToString();
    }
}
