using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Recontext.Environments;

/// <summary>What every organism story does with its knobs: checks that each is a probability, and fingerprints them
/// for the base's cache key.</summary>
public static class StoryKnobChecks
{
    /// <exception cref="ArgumentException">a knob outside [0, 1] (the message names it as <c>story.NAME</c>)</exception>
    public static void Probabilities(params (string Name, double Value)[] knobs)
    {
        foreach (var (name, value) in knobs)
            if (value is < 0 or > 1 || double.IsNaN(value)) throw new ArgumentException($"story.{name} must be a probability in [0, 1], got {value}");
    }

    /// <summary>12 hex digits of a hash of the knobs (as JSON) and the story's wording version.</summary>
    public static string Fingerprint<T>(T knobs, string version) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(knobs) + "|" + version)))[..12].ToLowerInvariant();
}
