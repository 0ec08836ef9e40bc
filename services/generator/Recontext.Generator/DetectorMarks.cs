using Recontext.Contracts;
using Recontext.Model.Modules;
using Recontext.Model.Probing;

namespace Recontext.Generator;

/// <summary>
/// Marks sampled completions with the run's detector (<see cref="DetectorSpec"/>): one scoring pass of the policy that
/// sampled them over (prompt, completion), the residual stream at the probe's layer pooled as it was fitted, then
/// σ(w·x + b) against the threshold. It runs where the weights are, right after sampling, so the one-process run and a
/// generator service mark the same completions alike and the judge needs no model. The prompt is the one the policy
/// sampled under (f_gen): the detector reads what the model computed when it answered.
/// </summary>
public static class DetectorMarks
{
    public static IReadOnlyList<GeneratedCompletion> Mark(CausalLm model, DetectorSpec spec, IReadOnlyList<int[]> prompts, IReadOnlyList<GeneratedCompletion> completions,
        int paddingId)
    {
        if (spec.Weights.Length != model.Config.HiddenSize)
            throw new ArgumentException($"the detector reads {spec.Weights.Length} features; the policy's hidden size is {model.Config.HiddenSize}");
        if (spec.Layer < 0 || spec.Layer >= model.Body.LayerCount)
            throw new ArgumentException($"the detector reads layer {spec.Layer}; the policy has layers 0..{model.Body.LayerCount - 1}");
        var pooling = ActivationPoolings.Parse(spec.Pooling);
        // An empty completion has nothing to read: it stays unmarked (and is malformed to the judge anyway).
        var readable = completions.Select((c, i) => (c, i)).Where(x => x.c.TokenIds.Length > 0).ToArray();
        if (readable.Length == 0) return completions;
        var pooled = ResidualStream.Pooled(model, readable.Select(x => prompts[x.c.PromptIndex]).ToArray(), readable.Select(x => x.c.TokenIds).ToArray(),
            [spec.Layer], [pooling], paddingId);
        var marked = completions.ToArray();
        for (int k = 0; k < readable.Length; k++)
        {
            double score = LogisticRegression.Probability(spec.Weights, spec.Bias, pooled[k][0][0]);
            marked[readable[k].i] = readable[k].c with { DetectorScore = score, Detected = score >= spec.Threshold };
        }
        return marked;
    }
}
