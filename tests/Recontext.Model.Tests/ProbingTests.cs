using Recontext.Model.Checkpoints;
using Recontext.Model.Modules;
using Recontext.Model.Probing;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Recontext.Model.Tests;

/// <summary>Activations read from the residual stream, and the logistic-regression probes fitted on them.</summary>
public sealed class ProbingTests(ParityFolders folders, ITestOutputHelper output) : IClassFixture<ParityFolders>
{
    /// <summary>Two rows of different prompt and completion lengths go through one padded pass; each row's pooled vectors
    /// equal those of the independent PyTorch reference run on that row alone (its hidden states after each layer).</summary>
    [Theory]
    [InlineData("qwen3", true)]
    [InlineData("qwen2", true)]
    [InlineData("llama", false)]
    public void PooledActivationsEqualTheReferenceForwardPass(string family, bool tied)
    {
        var dir = folders.Get(family, "float32", tied, false);
        var random = new Random(3);
        int[] Ids(int n) => Enumerable.Range(0, n).Select(_ => random.Next(0, 1000)).ToArray();
        int[][] prompts = [Ids(9), Ids(5)], completions = [Ids(4), Ids(7)];
        using var model = Checkpoint.Load(dir);
        int layers = model.Body.LayerCount;
        var pooled = ResidualStream.Pooled(model, prompts, completions, Enumerable.Range(0, layers).ToArray(), ActivationPoolings.All, paddingId: 0);

        double worst = 0;
        for (int row = 0; row < 2; row++)
        {
            var hidden = ReferenceModel.Hidden(dir, [.. prompts[row], .. completions[row]]);
            Assert.Equal(layers, hidden.Length);
            for (int layer = 0; layer < layers; layer++)
            {
                using var completion = hidden[layer].narrow(0, prompts[row].Length, completions[row].Length);
                var mean = completion.mean([0]).data<float>().ToArray();
                var last = completion[completions[row].Length - 1].data<float>().ToArray();
                worst = Math.Max(worst, MaxDifference(mean, pooled[row][layer][0]));
                worst = Math.Max(worst, MaxDifference(last, pooled[row][layer][1]));
                Assert.True(mean.Zip(last).Any(p => Math.Abs(p.First - p.Second) > 1e-3), "mean and last pooling should differ");
            }
            foreach (var h in hidden) h.Dispose();
        }
        output.WriteLine($"{family}: max |activation difference| {worst:G3}");
        Assert.True(worst <= 1e-4, $"{family}: max |activation difference| {worst:G3} > 1e-4");
    }

    /// <summary>Micro-batches (a budget that fits one row at a time, rows sorted by length) change nothing, and each row equals
    /// the decoder layers applied by hand to that row alone.</summary>
    [Fact]
    public void MicroBatchesAndAHandRunPassAgree()
    {
        using var model = TinyModels.Random(seed: 11);
        var random = new Random(5);
        int[] Ids(int n) => Enumerable.Range(0, n).Select(_ => random.Next(1, 200)).ToArray();
        var prompts = new[] { Ids(6), Ids(3), Ids(8), Ids(4) };
        var completions = new[] { Ids(5), Ids(9), Ids(2), Ids(6) };
        int[] layers = [1, 0];
        var whole = ResidualStream.Pooled(model, prompts, completions, layers, ActivationPoolings.All, paddingId: 0);
        var small = ResidualStream.Pooled(model, prompts, completions, layers, ActivationPoolings.All, paddingId: 0, tokenBudget: 1);

        using var noGrad = no_grad();
        for (int row = 0; row < prompts.Length; row++)
        {
            long[] ids = [.. prompts[row].Select(i => (long)i), .. completions[row].Select(i => (long)i)];
            using var scope = NewDisposeScope();
            var input = tensor(ids).unsqueeze(0);
            var positions = arange(ids.Length).unsqueeze(0);
            using var inputs = model.Body.Inputs(positions, null, 0, model.DType);
            var x = model.Body.Embed(input);
            var states = new List<Tensor>();
            for (int layer = 0; layer < model.Body.LayerCount; layer++) states.Add(x = model.Body.Layer(layer, x, inputs, null));
            for (int i = 0; i < layers.Length; i++)
            {
                var completion = states[layers[i]].squeeze(0).narrow(0, prompts[row].Length, completions[row].Length);
                var mean = completion.mean([0]).data<float>().ToArray();
                var last = completion[completions[row].Length - 1].data<float>().ToArray();
                Assert.True(Close(mean, whole[row][i][0]), $"row {row} layer {layers[i]}: mean pooling differs from the hand-run pass");
                Assert.True(Close(last, whole[row][i][1]), $"row {row} layer {layers[i]}: last-token pooling differs from the hand-run pass by {MaxDifference(last, whole[row][i][1])}");
                Assert.True(Close(whole[row][i][0], small[row][i][0]) && Close(whole[row][i][1], small[row][i][1]),
                    $"row {row}: micro-batches changed the activations");
            }
        }
    }

    [Fact]
    public void BadRequestsAreNamed()
    {
        using var model = TinyModels.Random();
        var e = Assert.Throws<ArgumentException>(() => ResidualStream.Pooled(model, [[1, 2]], [[3]], [2], ActivationPoolings.All, 0));
        Assert.Equal("layer 2 does not exist: the model has layers 0..1", e.Message);
        e = Assert.Throws<ArgumentException>(() => ResidualStream.Pooled(model, [[1, 2]], [[]], [0], ActivationPoolings.All, 0));
        Assert.Contains("completion 0 is empty", e.Message);
    }

    /// <summary>On a separable set drawn around a known direction, the fitted weights point along it and classify almost
    /// every held-out point; a stronger penalty shrinks them.</summary>
    [Fact]
    public void LogisticRegressionRecoversTheDirectionOfASeparableSet()
    {
        var random = new Random(9);
        const int width = 12;
        var direction = Enumerable.Range(0, width).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double norm = Math.Sqrt(direction.Sum(d => d * d));
        direction = direction.Select(d => d / norm).ToArray();
        (List<float[]> X, List<bool> Y) Draw(int n)
        {
            var xs = new List<float[]>();
            var ys = new List<bool>();
            while (xs.Count < n)
            {
                var x = Enumerable.Range(0, width).Select(_ => (float)Gaussian(random)).ToArray();
                double margin = x.Select((v, i) => v * direction[i]).Sum() + 0.3;   // an offset the bias must learn
                if (Math.Abs(margin) < 0.2) continue;                                // a gap: separable
                xs.Add(x);
                ys.Add(margin > 0);
            }
            return (xs, ys);
        }
        var (train, labels) = Draw(600);
        var (test, testLabels) = Draw(400);
        var (weights, bias) = LogisticRegression.Fit(train, labels, lambda: 1e-3);
        double cosine = weights.Select((w, i) => w * direction[i]).Sum() / Math.Sqrt(weights.Sum(w => w * w));
        double accuracy = test.Select((x, i) => (x.Select((v, j) => v * weights[j]).Sum() + bias > 0) == testLabels[i]).Count(c => c) / (double)test.Count;
        output.WriteLine($"cosine with the true direction {cosine:F4}, held-out accuracy {accuracy:F3}, bias/|w| {bias / Math.Sqrt(weights.Sum(w => w * w)):F3}");
        Assert.True(cosine > 0.98, $"cosine {cosine:F4}");
        Assert.True(accuracy > 0.97, $"accuracy {accuracy:F3}");
        var (strong, _) = LogisticRegression.Fit(train, labels, lambda: 1);
        Assert.True(strong.Sum(w => w * w) < weights.Sum(w => w * w) / 4, "a stronger penalty should shrink the weights");
        Assert.Throws<ArgumentException>(() => LogisticRegression.Fit(train, train.Select(_ => true).ToList(), 1e-3));
    }

    [Fact]
    public void AurocAndThresholdsMatchHandComputedValues()
    {
        double[] scores = [0.1, 0.4, 0.35, 0.8, 0.4];
        bool[] labels = [false, false, true, true, true];
        // positives 0.35, 0.8, 0.4 against negatives 0.1, 0.4: (1 + 0) + (1 + 1) + (1 + 0.5) = 4.5 of 6
        Assert.Equal(0.75, BinaryMetrics.Auroc(scores, labels), 12);
        Assert.Equal((2 / 3.0, 0.5), BinaryMetrics.Rates(scores, labels, 0.4));
        Assert.Equal(0.8, BinaryMetrics.ThresholdForTpr(scores, labels, 0.3));
        Assert.Equal(0.4, BinaryMetrics.ThresholdForTpr(scores, labels, 0.5));
        Assert.Equal(0.35, BinaryMetrics.ThresholdForTpr(scores, labels, 1));
        var e = Assert.Throws<ArgumentException>(() => BinaryMetrics.Auroc([0.2, 0.3], [true, true]));
        Assert.Contains("one class only", e.Message);
    }

    /// <summary>A probe fitted on a tiny model's activations, where the label is a token the completion holds, separates the
    /// held-out rows; it saves and loads unchanged, moves its threshold to a target TPR, and a damaged file is named.</summary>
    [Fact]
    public void AProbeTrainsSavesAndMovesItsThreshold()
    {
        // HF's initialisation (std 0.02): the residual stream still carries each token's embedding, as in a trained model.
        using var model = CausalLm.Create(TinyModels.Qwen3Style(), seed: 2);
        var random = new Random(4);
        var data = Enumerable.Range(0, 160).Select(i =>
        {
            bool label = i % 2 == 0;
            var completion = Enumerable.Range(0, 6).Select(_ => random.Next(60, 120)).ToArray();
            completion[0] = completion[3] = label ? 33 : 35;   // the marker the probe has to find
            return new LabelledCompletion(Enumerable.Range(0, 5).Select(_ => random.Next(60, 120)).ToArray(), completion, label);
        }).ToList();
        var probe = ProbeTrainer.Train(model, data, 0, new ProbeTrainingOptions { Label = "marked" });
        output.WriteLine($"layer {probe.Layer} {probe.Pooling.Name()} λ {probe.Lambda}: validation AUROC {probe.Validation.Auroc:F3}, held-out {probe.HeldOut.Auroc:F3}");
        Assert.True(probe.HeldOut.Auroc > 0.9, $"held-out AUROC {probe.HeldOut.Auroc:F3}");
        Assert.Equal(2 * 2 * 4, probe.Candidates.Count);

        var path = Path.Combine(Directory.CreateTempSubdirectory("recontext-probe-").FullName, "probe.json");
        probe.Save(path);
        var loaded = LinearProbe.Load(path);
        Assert.Equal(probe.Weights, loaded.Weights);
        Assert.Equal(probe.Threshold, loaded.Threshold);
        var scores = ProbeTrainer.Scores(model, loaded, data.Select(d => d.PromptIds).ToArray(), data.Select(d => d.CompletionIds).ToArray(), 0);
        Assert.True(BinaryMetrics.Auroc(scores, data.Select(d => d.Label).ToArray()) > 0.9);

        var strict = loaded.AtTargetTpr(0.5);
        Assert.True(strict.Validation.Tpr >= 0.5 && strict.Threshold >= loaded.AtTargetTpr(0.95).Threshold);

        File.WriteAllText(path, File.ReadAllText(path).Replace("\"layer\": " + probe.Layer, "\"layer\": 7"));
        var e = Assert.Throws<FormatException>(() => LinearProbe.Load(path));
        Assert.Contains("field 'layer' must be in 0..1, got 7", e.Message);
        Assert.Throws<ArgumentException>(() => ProbeTrainer.Train(model, data.Select(d => d with { Label = true }).ToList(), 0, new ProbeTrainingOptions()));
    }

    /// <summary>Equal to float32 precision: within 1e-5 of the larger magnitude (these random models' states reach ~10).</summary>
    static bool Close(float[] a, float[] b) => MaxDifference(a, b) <= 1e-5 * Math.Max(1, a.Max(Math.Abs));

    static double MaxDifference(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs(p.First - p.Second));

    static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
