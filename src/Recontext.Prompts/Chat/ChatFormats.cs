namespace Recontext.Prompts.Chat;

/// <summary>The chat format of each supported model family, by Hugging Face <c>model_type</c>.</summary>
public static class ChatFormats
{
    /// <param name="thinking">Qwen3 only: whether the model reasons in &lt;think&gt; before answering</param>
    /// <exception cref="ArgumentException">a family without a known chat format (the supported ones named)</exception>
    public static IChatFormat ForFamily(string modelType, bool thinking = true) => modelType switch
    {
        "qwen3" => new Qwen3ChatFormat(thinking),
        "qwen2" => new ChatMlFormat(),
        "llama" => new Llama3ChatFormat(),
        _ => throw new ArgumentException($"no chat format for model_type '{modelType}'; supported: qwen3, qwen2, llama"),
    };
}
