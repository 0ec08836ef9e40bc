namespace Recontext.Environments;

/// <summary>
/// What a detector (a probe on the policy's activations, <c>Recontext.Model.Probing.LinearProbe</c>) said about one
/// completion: its score and whether the score reached the detector's threshold. Computed where the policy's weights
/// are (the generator, alongside sampling) and carried to the judge with the completion.
/// </summary>
/// <param name="Score">the probe's probability that the completion is a positive (e.g. deceptive)</param>
/// <param name="Flagged">the score is at or above the detector's threshold</param>
public sealed record DetectorReading(double Score, bool Flagged);
