using Recontext.Model.Modules;
using Recontext.Prompts.Tokenization;
using static TorchSharp.torch;

namespace Recontext.Model.Generation;

/// <summary>
/// Samples completions for a batch of prompts of different lengths: prompts are left-padded, padding is masked
/// out of attention and position ids count real tokens only, so each row gets what it would get alone.
/// </summary>
public sealed class TextGenerator(CausalLm model, ITokenizer tokenizer)
{
    /// <param name="prompts">prompt token ids, one array per row (each non-empty)</param>
    /// <param name="useKvCache">false recomputes the whole sequence at every step (for checks and benchmarks)</param>
    /// <param name="sharePrefill">false prefills every row even when prompts repeat (for checks and benchmarks)</param>
    /// <param name="onToken">called with (row, token id) for every token as it is sampled, to stream the answer</param>
    public GenerationResult[] Generate(IReadOnlyList<int[]> prompts, SamplingOptions options, bool useKvCache = true, bool sharePrefill = true,
                                       Action<int, int>? onToken = null)
    {
        options.Validate();
        using var batch = PaddedBatch.LeftPadded(prompts, options.MaxNewTokens, tokenizer.PaddingId, model.Config.VocabSize);
        int rows = prompts.Count;
        var stopTokens = options.StopTokenIds.ToHashSet();
        var completions = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, rows).Select(_ => new List<float>()).ToArray();
        var finish = new FinishReason?[rows];
        var cutTexts = new string?[rows];

        using var noGrad = no_grad();
        using var cache = useKvCache ? new KvCache(model.Config, rows, batch.Capacity, model.DType, model.Device) : null;
        var generator = new Generator((ulong)options.Seed);
        var logits = !useKvCache ? NextLogits(batch, 0, batch.PromptLength, null)
            : sharePrefill ? Prefill(prompts, batch, cache!)
            : NextLogits(batch, 0, batch.PromptLength, cache);                    // [B, V]

        for (int step = 0; step < options.MaxNewTokens; step++)
        {
            long[] next;
            float[] nextLogProbs;
            using (NewDisposeScope())
            {
                var sampled = TokenSampler.Sample(logits, options, generator);                          // [B]
                var logp = logits.to(ScalarType.Float32).log_softmax(-1).gather(1, sampled.unsqueeze(1)); // [B, 1]
                next = sampled.data<long>().ToArray();
                nextLogProbs = logp.squeeze(1).data<float>().ToArray();
            }
            logits.Dispose();

            for (int row = 0; row < rows; row++)
            {
                if (finish[row] is not null) continue;
                completions[row].Add((int)next[row]);
                logProbs[row].Add(nextLogProbs[row]);
                onToken?.Invoke(row, (int)next[row]);
                if (stopTokens.Contains((int)next[row])) finish[row] = FinishReason.StopToken;
                else if (options.StopStrings.Count > 0 && CutAtStopString(completions[row], options.StopStrings) is { } cut)
                {
                    finish[row] = FinishReason.StopString;
                    cutTexts[row] = cut;
                }
            }
            if (finish.All(f => f is not null) || step == options.MaxNewTokens - 1) break;

            int position = batch.Append(next);
            logits = useKvCache ? NextLogits(batch, position, 1, cache) : NextLogits(batch, 0, position + 1, null);
        }

        return Enumerable.Range(0, rows).Select(row =>
        {
            var reason = finish[row] ?? FinishReason.Length;
            var ids = completions[row].ToArray();
            var text = reason switch
            {
                FinishReason.StopString => cutTexts[row]!,
                FinishReason.StopToken => tokenizer.Decode(ids[..^1]),
                _ => tokenizer.Decode(ids),
            };
            return new GenerationResult(ids, text, logProbs[row].ToArray(), reason);
        }).ToArray();
    }

    /// <summary>
    /// Runs the prompts into the cache and returns the logits of their last column [B, V]. Rows that repeat a prompt
    /// (several samples of one prompt) share one prefill: the distinct prompts run alone and their keys, values
    /// and logits are copied to every row that holds them.
    /// </summary>
    Tensor Prefill(IReadOnlyList<int[]> prompts, PaddedBatch batch, KvCache cache)
    {
        var groups = Scoring.PromptGroups.Of(prompts);
        if (groups.Distinct.Count == prompts.Count) return NextLogits(batch, 0, batch.PromptLength, cache);

        using var scope = NewDisposeScope();
        using var distinctCache = new KvCache(model.Config, groups.Distinct.Count, batch.PromptLength, model.DType, model.Device);
        var rowIndex = tensor(groups.FirstRow.Select(r => (long)r).ToArray(), device: model.Device);
        var logits = NextLogits(batch, 0, batch.PromptLength, distinctCache, rowIndex);             // [U, V]
        var expand = tensor(groups.RowPrompt.Select(u => (long)u).ToArray(), device: model.Device); // [B]
        cache.CopyRows(distinctCache, expand);
        return logits.index_select(0, expand).MoveToOuterDisposeScope();
    }

    /// <summary>Runs the model on columns [start, start+count) and returns the last column's logits [B, V].</summary>
    /// <param name="rows">only these rows of the batch (the cache then holds just them), or all when null</param>
    Tensor NextLogits(PaddedBatch batch, int start, int count, KvCache? cache, Tensor? rows = null)
    {
        using var scope = NewDisposeScope();
        var (ids, positions) = batch.Columns(start, count, model.Device);
        var keyMask = batch.KeyMask(start + count, model.Device);
        if (rows is not null)
        {
            (ids, positions) = (ids.index_select(0, rows), positions.index_select(0, rows));
            keyMask = keyMask?.index_select(0, rows);
        }
        var hidden = model.Hidden(ids, positions, keyMask, cache);                 // [B, count, C]
        var last = hidden.narrow(1, count - 1, 1);                                 // [B, 1, C]
        return model.Logits(last).squeeze(1).MoveToOuterDisposeScope();
    }

    string? CutAtStopString(List<int> ids, IReadOnlyList<string> stopStrings)
    {
        var text = tokenizer.Decode(ids);
        int cut = -1;
        foreach (var stop in stopStrings)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        return cut < 0 ? null : text[..cut];
    }
}
