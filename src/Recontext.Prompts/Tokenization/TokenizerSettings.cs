using System.Text.Json;

namespace Recontext.Prompts.Tokenization;

/// <summary>
/// What a Hugging Face <c>tokenizer_config.json</c> says about special tokens: beginning, end and padding, and
/// whether the beginning token is prepended to every encoding. Tokens may be written as a string or as an object with
/// <c>content</c> (older files). When the file is silent about <c>add_bos_token</c>, the tokenizer.json's post-processor
/// decides, as in HF's fast tokenizers: a template that starts with a special token prepends it.
/// </summary>
public sealed record TokenizerSettings(string? BosToken, string? EosToken, string? PadToken, bool AddBosToken)
{
    public const string TokenizerFile = "tokenizer.json";
    public const string ConfigFile = "tokenizer_config.json";

    /// <summary>Reads a folder's tokenizer_config.json (absent: nothing special) and tokenizer.json's post-processor.</summary>
    /// <exception cref="InvalidDataException">a file is not valid JSON or a token field has the wrong shape (named)</exception>
    public static TokenizerSettings Read(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        string? bos = null, eos = null, pad = null;
        bool? addBos = null;
        if (File.Exists(configPath))
        {
            using var config = Parse(configPath);
            var root = config.RootElement;
            bos = Token(root, "bos_token", configPath);
            eos = Token(root, "eos_token", configPath);
            pad = Token(root, "pad_token", configPath);
            if (root.TryGetProperty("add_bos_token", out var add) && add.ValueKind is JsonValueKind.True or JsonValueKind.False) addBos = add.GetBoolean();
        }
        return new TokenizerSettings(bos, eos, pad, addBos ?? (bos is not null && PostProcessorPrepends(Path.Combine(directory, TokenizerFile), bos)));
    }

    static string? Token(JsonElement root, string field, string path)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            return content.GetString();
        throw new InvalidDataException($"{path}: {field} must be a string or an object with 'content', got {value.ValueKind}");
    }

    static bool PostProcessorPrepends(string tokenizerPath, string bos)
    {
        if (!File.Exists(tokenizerPath)) return false;
        using var tokenizer = Parse(tokenizerPath);
        if (!tokenizer.RootElement.TryGetProperty("post_processor", out var post) || post.ValueKind != JsonValueKind.Object) return false;
        var steps = post.TryGetProperty("processors", out var list) ? list.EnumerateArray().ToList() : [post];
        return steps.Any(step => step.TryGetProperty("type", out var type) && type.GetString() == "TemplateProcessing" &&
                                 step.TryGetProperty("single", out var single) && single.GetArrayLength() > 0 &&
                                 single[0].TryGetProperty("SpecialToken", out var first) && first.GetProperty("id").GetString() == bos);
    }

    static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
