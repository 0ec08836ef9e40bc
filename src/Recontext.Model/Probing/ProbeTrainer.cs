using Recontext.Model.Modules;

namespace Recontext.Model.Probing;

/// <summary>What <see cref="ProbeTrainer"/> tries and how it splits the data.</summary>
public sealed record ProbeTrainingOptions
{
    /// <summary>Layers to try; null: every decoder layer.</summary>
    public IReadOnlyList<int>? Layers { get; init; }

    public IReadOnlyList<ActivationPooling> Poolings { get; init; } = ActivationPoolings.All;

    /// <summary>L2 strengths to try on the standardised features.</summary>
    public IReadOnlyList<double> Lambdas { get; init; } = [1e-3, 1e-2, 1e-1, 1];

    /// <summary>Set the threshold to flag this share of the validation positives; null: threshold 0.5.</summary>
    public double? TargetTpr { get; init; }

    /// <summary>The shuffle of the stratified 60 / 20 / 20 split into training, validation and held-out rows.</summary>
    public long Seed { get; init; } = 1;

    public string Label { get; init; } = "positive";

    /// <summary>Each split needs at least this many of each label.</summary>
    public const int MinimumPerClassAndSplit = 2;
}

/// <summary>
/// Fits a lie detector (or any binary probe) on a model's activations: reads the pooled residual stream of every
/// labelled completion at every candidate layer and pooling in one pass, fits an L2 logistic regression per
/// (layer, pooling, λ) on the training split, keeps the one with the best validation AUROC (ties: the larger λ, then
/// the earlier layer), sets the threshold on validation data, and measures AUROC, TPR and FPR on held-out rows it never
/// chose anything on.
/// </summary>
public static class ProbeTrainer
{
    public static LinearProbe Train(CausalLm model, IReadOnlyList<LabelledCompletion> data, int paddingId, ProbeTrainingOptions options, IProgress<string>? progress = null)
    {
        int positives = data.Count(d => d.Label), negatives = data.Count - positives;
        if (positives == 0 || negatives == 0)
            throw new ArgumentException($"the labels hold one class only ({positives} positive, {negatives} negative): a probe needs both");
        int needed = (int)Math.Ceiling(ProbeTrainingOptions.MinimumPerClassAndSplit / 0.2);
        if (Math.Min(positives, negatives) < needed)
            throw new ArgumentException($"need at least {needed} examples of each label (for training, validation and held-out splits), got {positives} positive and {negatives} negative");
        if (options.TargetTpr is { } t && (t is <= 0 or > 1 || double.IsNaN(t))) throw new ArgumentException($"targetTpr must be in (0, 1], got {t}");
        if (options.Lambdas.Count == 0 || options.Lambdas.Any(l => l <= 0 || double.IsNaN(l))) throw new ArgumentException("lambdas must be positive numbers");
        var layers = options.Layers ?? Enumerable.Range(0, model.Body.LayerCount).ToArray();

        var (train, validation, heldOut) = Split(data, options.Seed);
        progress?.Report($"reading layers {string.Join(",", layers)} ({string.Join("/", options.Poolings.Select(p => p.Name()))}) over {data.Count} completions");
        var activations = ResidualStream.Pooled(model, data.Select(d => d.PromptIds).ToArray(), data.Select(d => d.CompletionIds).ToArray(), layers, options.Poolings, paddingId);
        var labels = data.Select(d => d.Label).ToArray();

        var candidates = new List<ProbeCandidate>();
        (ProbeCandidate Candidate, double[] Weights, double Bias)? best = null;
        for (int li = 0; li < layers.Count; li++)
            for (int pi = 0; pi < options.Poolings.Count; pi++)
            {
                float[] Features(int row) => activations[row][li][pi];
                foreach (var lambda in options.Lambdas.OrderDescending())
                {
                    var (weights, bias) = LogisticRegression.Fit(train.Select(Features).ToArray(), train.Select(r => labels[r]).ToArray(), lambda);
                    var scores = validation.Select(r => LogisticRegression.Probability(weights, bias, Features(r))).ToArray();
                    var candidate = new ProbeCandidate(layers[li], options.Poolings[pi], lambda, BinaryMetrics.Auroc(scores, validation.Select(r => labels[r]).ToArray()));
                    candidates.Add(candidate);
                    if (best is null || candidate.ValidationAuroc > best.Value.Candidate.ValidationAuroc + 1e-12) best = (candidate, weights, bias);
                }
                progress?.Report($"layer {layers[li]} {options.Poolings[pi].Name()}: validation AUROC {candidates.Where(c => c.Layer == layers[li] && c.Pooling == options.Poolings[pi]).Max(c => c.ValidationAuroc):F3}");
            }

        var (chosen, w, b) = best!.Value;
        int layerIndex = layers.ToList().IndexOf(chosen.Layer), poolingIndex = options.Poolings.ToList().IndexOf(chosen.Pooling);
        ScoredLabels Scored(int[] rows) => new(rows.Select(r => LogisticRegression.Probability(w, b, activations[r][layerIndex][poolingIndex])).ToArray(), rows.Select(r => labels[r]).ToArray());
        var probe = new LinearProbe
        {
            Label = options.Label, HiddenSize = model.Config.HiddenSize, LayerCount = model.Body.LayerCount,
            Layer = chosen.Layer, Pooling = chosen.Pooling, Lambda = chosen.Lambda, Weights = w, Bias = b, Threshold = 0.5,
            ValidationScores = Scored(validation), HeldOutScores = Scored(heldOut),
            Validation = null!, HeldOut = null!, Candidates = candidates,
        };
        probe = probe with
        {
            Validation = ProbeMetrics.Of(probe.ValidationScores.Scores, probe.ValidationScores.Labels, 0.5),
            HeldOut = ProbeMetrics.Of(probe.HeldOutScores.Scores, probe.HeldOutScores.Labels, 0.5),
        };
        return options.TargetTpr is double target ? probe.AtTargetTpr(target) : probe;
    }

    /// <summary>The probe's scores of completions (pooled at its layer as it was fitted).</summary>
    public static double[] Scores(CausalLm model, LinearProbe probe, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, int paddingId)
    {
        probe.CheckFits(model.Config.HiddenSize, model.Body.LayerCount, "the model");
        var pooled = ResidualStream.Pooled(model, prompts, completions, [probe.Layer], [probe.Pooling], paddingId);
        return pooled.Select(p => probe.Score(p[0][0])).ToArray();
    }


    /// <summary>A stratified 60 / 20 / 20 split of row indices, shuffled by <paramref name="seed"/>.</summary>
    static (int[] Train, int[] Validation, int[] HeldOut) Split(IReadOnlyList<LabelledCompletion> data, long seed)
    {
        var rng = new Random(unchecked((int)(seed * 7_919 + 0x9B0BE)));
        List<int> train = [], validation = [], heldOut = [];
        foreach (var label in new[] { true, false })
        {
            var rows = Enumerable.Range(0, data.Count).Where(i => data[i].Label == label).ToArray();
            rng.Shuffle(rows);
            int v = (int)Math.Round(rows.Length * 0.2), h = (int)Math.Round(rows.Length * 0.2);
            validation.AddRange(rows.Take(v));
            heldOut.AddRange(rows.Skip(v).Take(h));
            train.AddRange(rows.Skip(v + h));
        }
        return ([.. train.Order()], [.. validation.Order()], [.. heldOut.Order()]);
    }
}
