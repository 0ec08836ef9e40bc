namespace Recontext.Trainer.Losses;

/// <summary>GRPO advantages: each reward relative to the other samples of the same prompt.</summary>
public static class GroupAdvantages
{
    /// <param name="rewards">rewards laid out prompt by prompt: [r(p0,s0) .. r(p0,sG-1), r(p1,s0) ..]</param>
    /// <param name="groupSize">samples per prompt G</param>
    /// <param name="scaleByStd">true: (r − mean) / (std + eps) (GRPO); false: r − mean (Dr. GRPO)</param>
    /// <param name="epsilon">added to the standard deviation so equal rewards give 0, not NaN</param>
    /// <remarks>std is the sample standard deviation (n − 1), as torch.std and TRL compute it.</remarks>
    public static float[] Compute(IReadOnlyList<double> rewards, int groupSize, bool scaleByStd = true, double epsilon = 1e-4)
    {
        if (groupSize < 1) throw new ArgumentException($"groupSize must be >= 1, got {groupSize}");
        if (rewards.Count % groupSize != 0) throw new ArgumentException($"{rewards.Count} rewards do not split into groups of {groupSize}");
        var advantages = new float[rewards.Count];
        for (int start = 0; start < rewards.Count; start += groupSize)
        {
            double mean = 0;
            for (int i = 0; i < groupSize; i++) mean += rewards[start + i];
            mean /= groupSize;
            double variance = 0;
            for (int i = 0; i < groupSize; i++) variance += Math.Pow(rewards[start + i] - mean, 2);
            double std = groupSize > 1 ? Math.Sqrt(variance / (groupSize - 1)) : 0;
            for (int i = 0; i < groupSize; i++)
            {
                double centred = rewards[start + i] - mean;
                advantages[start + i] = (float)(scaleByStd ? centred / (std + epsilon) : centred);
            }
        }
        return advantages;
    }
}
