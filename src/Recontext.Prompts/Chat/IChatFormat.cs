using Recontext.Contracts;

namespace Recontext.Prompts.Chat;

/// <summary>How a model family lays a conversation out as text (its special tokens written literally, so the
/// tokenizer encodes them to their ids).</summary>
public interface IChatFormat
{
    /// <summary>A person-readable name: "ChatML", "Qwen3 ChatML (thinking)", "Llama 3".</summary>
    string Name { get; }

    /// <summary>The token that ends every turn; generation stops on it and training targets end with it.</summary>
    string EndOfTurn { get; }

    /// <param name="addGenerationPrompt">append the header of the assistant's turn, ready to sample its answer</param>
    /// <exception cref="ArgumentException">a message's role is not system, user or assistant (its index named)</exception>
    string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt);
}
