using Recontext.Prompts;

namespace Recontext.Environments;

/// <summary>Token ids of a task rendered under a context, in the model's chat format with the assistant's header.</summary>
public sealed class PromptTokens(IEnvironment environment, ModelText text)
{
    public int[] Encode(EnvironmentTask task, PromptContext context) => text.EncodePrompt(environment.Render(task, context));
}
