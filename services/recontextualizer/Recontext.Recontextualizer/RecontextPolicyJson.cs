using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recontext.Recontextualizer;

/// <summary>A <see cref="RecontextPolicy"/> as it travels in a batch (<c>RecontextRequest.Policy</c>): JSON with
/// enums by name, read back and validated on arrival.</summary>
public static class RecontextPolicyJson
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public static string Write(RecontextPolicy policy) => JsonSerializer.Serialize(policy, Options);

    /// <exception cref="FormatException">not a policy; the message names what is wrong</exception>
    public static RecontextPolicy Read(string json)
    {
        try
        {
            var policy = JsonSerializer.Deserialize<RecontextPolicy>(json, Options) ?? throw new FormatException("recontext.policy: null");
            return policy.Validate();
        }
        catch (JsonException e)
        {
            throw new FormatException($"recontext.policy: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }
}
