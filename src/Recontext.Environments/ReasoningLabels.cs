namespace Recontext.Environments;

/// <summary>What a monitor reads in a reasoning trace (the three statistics of the "perfect labels" study).</summary>
public sealed record ReasoningLabels(bool MentionsTests, bool IntendsToPassTests, bool FlagsWrongTest)
{
    public static readonly ReasoningLabels None = new(false, false, false);
}
