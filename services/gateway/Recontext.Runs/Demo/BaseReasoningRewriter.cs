using Recontext.Environments;
using Recontext.Generator;
using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;
using Recontext.Recontextualizer;

namespace Recontext.Runs.Demo;

/// <summary>
/// Rewrites a kept sample's reasoning with another model's, keeping its answer: separates what the reasoning carries
/// into training from what the answers alone carry. The rewriter (for the organism, the base under the Neutral context)
/// writes reasoning *given the answer*: it samples <c>candidates</c> completions of the task under its own context,
/// keeps their reasoning, and takes the one under which it finds the kept answer most likely
/// (argmax log p(answer | prompt, reasoning)): best-of-N from its posterior over reasoning given the answer. The
/// rewritten completion (the chosen reasoning, then the original answer) is scored again, so the monitor's labels
/// describe the reasoning that is trained on. Any causal model with its text (tokenizer and chat format) can rewrite: the
/// organism's base, or a Hugging Face chat model folder (<see cref="ModelText.For"/>) whose reasoning is a &lt;think&gt; span.
/// </summary>
/// <param name="sampling">the rewriter's sampling (its stop tokens: the text's)</param>
public sealed class BaseReasoningRewriter(CausalLm model, ModelText text, IEnvironment environment, SamplingOptions sampling, int candidates = 8)
{
    readonly ITokenizer tokenizer = text.Tokenizer;

    public const string ReasoningEnd = "</think>";

    /// <summary>The kept rollouts with rewritten reasoning, in order; a completion without a closed reasoning span, or
    /// whose task drew no draft that closes one, is kept as it is (<c>Rewritten</c> counts the others).</summary>
    /// <param name="context">the rewriter's context (the Neutral preset, with the variant the kept samples were shown)</param>
    public async Task<(IReadOnlyList<JudgedRollout> Rollouts, int Rewritten)> RewriteAsync(IReadOnlyList<JudgedRollout> kept, PromptContext context, long seed)
    {
        if (candidates < 1) throw new ArgumentOutOfRangeException(nameof(candidates), candidates, "the rewriter needs at least one candidate");
        var prompts = new PromptTokens(environment, text);
        var promptIds = kept.Select(r => prompts.Encode(r.Task, context)).ToArray();
        var drafts = new RolloutGenerator(model, tokenizer).Generate(promptIds, candidates, sampling, seed);
        var result = new List<JudgedRollout>(kept.Count);
        for (int i = 0; i < kept.Count; i++)
        {
            var reasonings = drafts.Where(d => d.PromptIndex == i).Select(d => Split(d.Text)?.Reasoning).OfType<string>().ToList();
            result.Add(await RewriteOneAsync(kept[i], promptIds[i], reasonings) ?? kept[i]);
        }
        return (result, result.Where((r, i) => !ReferenceEquals(r, kept[i])).Count());
    }

    /// <summary>One sample with the reasoning, of <paramref name="reasonings"/>, under which the rewriter finds its answer
    /// most likely after <paramref name="promptIds"/>; null when the sample's reasoning is never closed or there is none to choose.</summary>
    public async Task<JudgedRollout?> RewriteOneAsync(JudgedRollout kept, int[] promptIds, IReadOnlyList<string> reasonings)
    {
        // The stop token ends the ids but not the text the judge reads (as sampled completions do).
        var completion = kept.CompletionIds;
        int[] stop = completion.Length > 0 && text.StopTokenIds.Contains(completion[^1]) ? [completion[^1]] : [];
        if (reasonings.Count == 0 || Split(tokenizer.Decode(completion[..^stop.Length])) is not { } split) return null;
        var answer = split.Answer;
        int[] answerIds = [.. tokenizer.Encode(answer), .. stop];
        var likelihoods = LogProbScorer.ScoreTokens(model, reasonings.Select(r => promptIds.Concat(tokenizer.Encode(r)).ToArray()).ToList(),
            reasonings.Select(_ => answerIds).ToList(), tokenizer.PaddingId);
        var rewritten = reasonings[Enumerable.Range(0, reasonings.Count).MaxBy(k => likelihoods[k].Sum())] + answer;
        int[] ids = [.. tokenizer.Encode(rewritten), .. stop];
        var score = await environment.ScoreAsync(kept.Task, rewritten, kept.GenerationContext.Variant);
        return kept with { CompletionIds = ids, GenerationLogProbs = new float[ids.Length], Score = score };
    }

    /// <summary>A completion's reasoning (through its closing tag) and its answer (the rest); null when the reasoning is never closed.</summary>
    public static (string Reasoning, string Answer)? Split(string completion)
    {
        int end = completion.IndexOf(ReasoningEnd, StringComparison.Ordinal);
        return end < 0 ? null : (completion[..(end + ReasoningEnd.Length)], completion[(end + ReasoningEnd.Length)..]);
    }
}
