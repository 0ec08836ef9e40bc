using Recontext.Judge.Abstractions;
using Recontext.Prompts.Tokenization;

namespace Recontext.Recontextualizer;

/// <summary>Token ids of a task rendered under a context, in ChatML with the assistant generation prompt.</summary>
public sealed class PromptTokens(IEnvironment environment, ITokenizer tokenizer)
{
    public int[] Encode(CodingTask task, PromptContext context) =>
        tokenizer.Encode(ChatMlTemplate.Render(environment.Render(task, context), addGenerationPrompt: true));
}
