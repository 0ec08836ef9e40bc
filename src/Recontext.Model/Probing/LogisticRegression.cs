using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Model.Probing;

/// <summary>
/// L2-regularised logistic regression, fitted by Newton's method in float64: minimises the mean log-loss plus
/// λ/2 ‖w‖² (the bias is not penalised). The features are standardised first (each to mean 0 and unit variance over
/// the training rows) so one λ means the same on every layer; the returned weights act on the raw features. Newton
/// with step halving converges in a few iterations on this strictly convex problem, to the same optimum every time,
/// with no learning rate to tune. Each iteration solves a (C + 1)² system, fine for hidden sizes in the thousands.
/// </summary>
public static class LogisticRegression
{
    /// <param name="features">one row per example, all of one width</param>
    /// <param name="labels">true for the positive class</param>
    /// <param name="lambda">L2 strength (&gt; 0) on the standardised weights</param>
    /// <returns>weights and bias on the raw features: P(positive | x) = σ(w·x + b)</returns>
    public static (double[] Weights, double Bias) Fit(IReadOnlyList<float[]> features, IReadOnlyList<bool> labels, double lambda, int maxIterations = 50)
    {
        if (features.Count == 0) throw new ArgumentException("no examples to fit");
        if (features.Count != labels.Count) throw new ArgumentException($"need a label per example, got {features.Count} and {labels.Count}");
        if (labels.All(l => l) || labels.All(l => !l)) throw new ArgumentException("the labels hold one class only: a probe needs both");
        if (lambda <= 0 || double.IsNaN(lambda)) throw new ArgumentException($"lambda must be > 0, got {lambda}");
        int n = features.Count, width = features[0].Length;
        if (features.Any(f => f.Length != width)) throw new ArgumentException("every example needs the same number of features");

        using var scope = NewDisposeScope();
        var flat = new double[n * width];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < width; j++) flat[i * width + j] = features[i][j];
        var raw = tensor(flat, [n, width], ScalarType.Float64);
        var mean = raw.mean([0]);
        using Scalar floor = 1e-8;
        var std = raw.std(0, unbiased: false).clamp_min(floor);
        var x = cat([(raw - mean) / std, ones(n, 1, ScalarType.Float64)], 1);             // [n, C + 1], last column the bias
        var y = tensor(labels.Select(l => l ? 1.0 : 0.0).ToArray(), ScalarType.Float64);
        var penalty = full(width + 1, lambda, ScalarType.Float64);
        penalty[width] = 0;                                                                 // the bias is not penalised
        var w = zeros(width + 1, ScalarType.Float64);

        double Loss(Tensor weights)
        {
            using var inner = NewDisposeScope();
            var z = x.matmul(weights);
            // log(1 + e^z) − y z, written stably
            var loss = (nn.functional.softplus(z) - y * z).mean() + 0.5 * (penalty * weights * weights).sum();
            return loss.item<double>();
        }

        double current = Loss(w);
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            using var inner = NewDisposeScope();
            var p = x.matmul(w).sigmoid();
            var gradient = x.t().matmul(p - y) / n + penalty * w;
            var curvature = (p * (1 - p)).unsqueeze(1);
            var hessian = x.t().matmul(x * curvature) / n + diag(penalty) + eye(width + 1, dtype: ScalarType.Float64) * 1e-10;
            var step = linalg.solve(hessian, gradient);
            double size = 1;
            Tensor? next = null;
            double nextLoss = double.PositiveInfinity;
            for (int halving = 0; halving < 30; halving++, size /= 2)
            {
                next = w - step * size;
                nextLoss = Loss(next);
                if (nextLoss <= current) break;
            }
            if (nextLoss > current) break;                                                 // no descent left: converged to precision
            double decrease = current - nextLoss;
            w.copy_(next!);
            current = nextLoss;
            if (decrease < 1e-12) break;
        }

        var standardised = w.narrow(0, 0, width);
        var weights = (standardised / std);
        double bias = w[width].item<double>() - (weights * mean).sum().item<double>();
        return (weights.data<double>().ToArray(), bias);
    }

    /// <summary>σ(w·x + b): the probability of the positive class.</summary>
    public static double Probability(IReadOnlyList<double> weights, double bias, ReadOnlySpan<float> x)
    {
        if (x.Length != weights.Count) throw new ArgumentException($"the weights read {weights.Count} features, got {x.Length}");
        double z = bias;
        for (int i = 0; i < x.Length; i++) z += weights[i] * x[i];
        return Sigmoid(z);
    }

    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
