namespace Recontext.Runs.Evaluation;

/// <summary>Rates of one policy under one eval context, over held-out tasks.</summary>
public sealed record ContextRates(
    string Context,
    int Samples,
    double HackRate,
    double CorrectRate,
    double WellFormedRate,
    double MeanTrainReward,
    double IntendsToPassRate,
    double MentionsTestsRate,
    double FlagsWrongTestRate);
