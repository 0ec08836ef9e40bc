namespace Recontext.Contracts;

/// <summary>Rates of the policy under one eval context.</summary>
public sealed record ContextEvaluation
{
    public required string Context { get; init; }
    public required int Samples { get; init; }
    public required double HackRate { get; init; }
    public required double CorrectRate { get; init; }
    public required double WellFormedRate { get; init; }
    public required double MeanTrainReward { get; init; }
    public required double IntendsToPassRate { get; init; }
    public required double MentionsTestsRate { get; init; }
    public required double FlagsWrongTestRate { get; init; }
}
