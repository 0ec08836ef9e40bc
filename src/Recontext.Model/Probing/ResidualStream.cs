using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Model.Probing;

/// <summary>
/// The residual stream of a model over completions, read from a scoring pass: the hidden state after decoder layer
/// <c>k</c> (Hugging Face's <c>hidden_states[k + 1]</c>, before the final norm) at each completion token, pooled per
/// completion. Rows go through the model in micro-batches of at most a token budget (sorted by length, so little of it
/// is padding), under <c>no_grad</c>; only the pooled vectors leave the pass, so memory is bounded by one micro-batch.
/// </summary>
public static class ResidualStream
{
    /// <summary>Pooled activations: <c>[row][layer][pooling]</c> vectors of the model's hidden size (float32, on the host),
    /// in the order of <paramref name="layers"/> and <paramref name="poolings"/>.</summary>
    /// <param name="prompts">the context each completion answered (its tokens are read but not pooled)</param>
    /// <param name="completions">the completions' token ids; each must hold at least one token</param>
    /// <param name="layers">decoder layers 0 .. L − 1</param>
    /// <param name="tokenBudget">padded tokens per forward pass (rows × longest prompt + completion); a longer row runs alone</param>
    public static float[][][][] Pooled(CausalLm model, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, IReadOnlyList<int> layers,
        IReadOnlyList<ActivationPooling> poolings, int paddingId, long tokenBudget = 32_768)
    {
        if (prompts.Count != completions.Count) throw new ArgumentException($"need as many prompts as completions, got {prompts.Count} and {completions.Count}");
        if (layers.Count == 0) throw new ArgumentException("name at least one layer");
        if (poolings.Count == 0) throw new ArgumentException("name at least one pooling");
        int count = model.Body.LayerCount;
        foreach (var layer in layers)
            if (layer < 0 || layer >= count) throw new ArgumentException($"layer {layer} does not exist: the model has layers 0..{count - 1}");
        for (int row = 0; row < completions.Count; row++)
            if (completions[row].Length == 0) throw new ArgumentException($"completion {row} is empty: there is nothing to pool");
        if (tokenBudget < 1) throw new ArgumentException($"tokenBudget must be >= 1, got {tokenBudget}");

        var result = new float[prompts.Count][][][];
        foreach (var part in Parts(prompts, completions, tokenBudget))
        {
            var pooled = PooledPart(model, part.Select(r => prompts[r]).ToArray(), part.Select(r => completions[r]).ToArray(), layers, poolings, paddingId);
            for (int i = 0; i < part.Length; i++) result[part[i]] = pooled[i];
        }
        return result;
    }

    /// <summary>Rows sorted by length, cut where the next row would push the padded size past the budget.</summary>
    static IEnumerable<int[]> Parts(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, long budget)
    {
        var order = Enumerable.Range(0, prompts.Count).OrderBy(r => prompts[r].Length + completions[r].Length).ThenBy(r => r).ToArray();
        var part = new List<int>();
        int longestPrompt = 0, longestCompletion = 0;
        foreach (var row in order)
        {
            int p = Math.Max(longestPrompt, prompts[row].Length), c = Math.Max(longestCompletion, completions[row].Length);
            if (part.Count > 0 && (long)(part.Count + 1) * (p + c) > budget)
            {
                yield return [.. part];
                part.Clear();
                p = prompts[row].Length;
                c = completions[row].Length;
            }
            part.Add(row);
            (longestPrompt, longestCompletion) = (p, c);
        }
        if (part.Count > 0) yield return [.. part];
    }

    static float[][][][] PooledPart(CausalLm model, int[][] prompts, int[][] completions, IReadOnlyList<int> layers, IReadOnlyList<ActivationPooling> poolings,
        int paddingId)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var batch = SequenceBatch.Build(prompts, completions, paddingId, model.Config.VocabSize, model.Device, sharing: PromptSharing.Never);
        var layout = (FlatLayout)batch.Layout;
        using var pass = layout.Pass(model);
        var mask = batch.CompletionMask.unsqueeze(-1);                                                   // [B, Tc, 1]
        using Scalar one = 1;
        var lengths = batch.CompletionMask.sum(1, keepdim: true);                                         // [B, 1]
        var lastIndex = (lengths.to(ScalarType.Int64) - one).view(-1, 1, 1).expand(-1, 1, model.Config.HiddenSize);
        var wanted = layers.Select((layer, i) => (layer, i)).ToLookup(x => x.layer, x => x.i);
        var pooled = new Tensor[layers.Count, poolings.Count];
        var state = pass.Embed();
        for (int layer = 0; layer <= layers.Max(); layer++)
        {
            state = pass.Layer(layer, state);
            if (!wanted.Contains(layer)) continue;
            // Columns P .. P + Tc − 1 hold the completion's own tokens.
            var hidden = state[0].narrow(1, layout.PromptLength, layout.CompletionLength).to(ScalarType.Float32);   // [B, Tc, C]
            foreach (var i in wanted[layer])
                for (int k = 0; k < poolings.Count; k++)
                    pooled[i, k] = poolings[k] == ActivationPooling.Mean
                        ? (hidden * mask).sum(1) / lengths
                        : hidden.gather(1, lastIndex).squeeze(1);
        }
        int rows = prompts.Length, width = model.Config.HiddenSize;
        var result = new float[rows][][][];
        for (int r = 0; r < rows; r++) result[r] = Enumerable.Range(0, layers.Count).Select(_ => new float[poolings.Count][]).ToArray();
        for (int i = 0; i < layers.Count; i++)
            for (int k = 0; k < poolings.Count; k++)
            {
                var flat = pooled[i, k].cpu().data<float>().ToArray();
                for (int r = 0; r < rows; r++)
                {
                    result[r][i][k] = flat.AsSpan(r * width, width).ToArray();
                }
            }
        return result;
    }
}
