using Recontext.Contracts;

namespace Recontext.Environments;

/// <summary>Places a context's instruction in the chat according to its <see cref="InstructionPlacement"/>.</summary>
public static class ChatComposer
{
    /// <param name="task">the task (its id picks the paraphrase of a context with several)</param>
    /// <param name="userText">the task as the user turn states it, without any instruction</param>
    /// <param name="trailer">text that always ends the user turn, after a user-suffix instruction (may be null)</param>
    public static IReadOnlyList<ChatMessage> Compose(EnvironmentTask task, string userText, PromptContext context, string? trailer = null)
    {
        var text = context.InstructionFor(task.Id);
        var instruction = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        var user = userText;
        if (instruction is not null && context.Placement == InstructionPlacement.UserSuffix) user += "\n" + instruction;
        if (trailer is not null) user += "\n" + trailer;

        var messages = new List<ChatMessage>();
        if (instruction is not null && context.Placement == InstructionPlacement.System) messages.Add(ChatMessage.System(instruction));
        messages.Add(ChatMessage.User(user));
        if (instruction is not null && context.Placement == InstructionPlacement.ExtraSystemTurn) messages.Add(ChatMessage.System(instruction));
        return messages;
    }
}
