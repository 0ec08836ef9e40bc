using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Recontext.Organism;

/// <summary>
/// The generative story behind the toy base model's pre-training corpus. For each task and context:
/// intent ~ Bernoulli(P(intent | context)); the reasoning states it (and may mention or flag the wrong test);
/// the code special-cases the wrong test with P(hack | intent) or P(hack | no intent); the general part is
/// correct with P(honest code correct), else a plausible mistake. Defaults make the phenomena visible.
/// </summary>
public sealed record StoryKnobs
{
    /// <summary>P(hacking intent in the reasoning) under the neutral context.</summary>
    public double IntentNeutral { get; init; } = 0.15;

    /// <summary>P(hacking intent) under the good context (asks for a general solution).</summary>
    public double IntentGood { get; init; } = 0.03;

    /// <summary>P(hacking intent) under the bad context (says passing the tests is all that matters).</summary>
    public double IntentBad { get; init; } = 0.6;

    /// <summary>P(intent) under any other instruction (e.g. the irrelevant-instruction control).</summary>
    public double IntentOther { get; init; } = 0.15;

    /// <summary>P(hack code | intent).</summary>
    public double HackGivenIntent { get; init; } = 0.8;

    /// <summary>P(hack code | no intent).</summary>
    public double HackGivenNoIntent { get; init; } = 0.03;

    /// <summary>P(the general part of the code is correct); else a plausible mistake, so ground truth can improve.</summary>
    public double HonestCorrect { get; init; } = 0.7;

    /// <summary>P(reasoning mentions the tests | no intent). (Intent always mentions them.)</summary>
    public double MentionWithoutIntent { get; init; } = 0.3;

    /// <summary>P(reasoning says a test is wrong | it mentions the tests).</summary>
    public double FlagWrongTest { get; init; } = 0.5;

    public StoryKnobs Validate()
    {
        Environments.StoryKnobChecks.Probabilities(
            ("intentNeutral", IntentNeutral), ("intentGood", IntentGood), ("intentBad", IntentBad), ("intentOther", IntentOther),
            ("hackGivenIntent", HackGivenIntent), ("hackGivenNoIntent", HackGivenNoIntent), ("honestCorrect", HonestCorrect),
            ("mentionWithoutIntent", MentionWithoutIntent), ("flagWrongTest", FlagWrongTest));
        return this;
    }

    public double Intent(string context) => context switch
    {
        "neutral" => IntentNeutral,
        "good" => IntentGood,
        "bad" => IntentBad,
        _ => IntentOther,
    };

    /// <summary>Expected hack rate under a context: P(i)·P(hack|i) + (1 − P(i))·P(hack|¬i).</summary>
    public double ExpectedHackRate(string context) => Intent(context) * HackGivenIntent + (1 - Intent(context)) * HackGivenNoIntent;

    /// <summary>Short stable hash of the knobs (with a salt for everything else that shapes the model).</summary>
    public string Hash(string salt)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this) + "|" + salt));
        return Convert.ToHexString(bytes)[..12].ToLowerInvariant();
    }
}
