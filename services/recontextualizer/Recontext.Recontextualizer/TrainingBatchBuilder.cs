using Recontext.Contracts;
using Recontext.Environments;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;

namespace Recontext.Recontextualizer;

/// <summary>
/// Applies a run's <see cref="RecontextPolicy"/> to judged rollouts: decides which samples get f_train and splices
/// the f_train prompt's token ids onto each completion's unchanged token ids.
/// </summary>
public sealed class TrainingBatchBuilder
{
    readonly RecontextPolicy policy;
    readonly PromptTokens prompts;
    readonly ITokenizer tokenizer;
    readonly PromptContext training;
    readonly SamplePredicate? predicate;

    public TrainingBatchBuilder(RecontextPolicy policy, IEnvironment environment, ModelText text)
    {
        this.policy = policy.Validate();
        tokenizer = text.Tokenizer;
        prompts = new PromptTokens(environment, text);
        training = policy.Training.Resolve(environment);
        predicate = policy.Mode == RecontextMode.Selective ? SamplePredicate.Parse(policy.Predicate!) : null;
    }

    /// <param name="random">draws for <see cref="RecontextMode.Fraction"/>; seeded by the caller for reproducible runs</param>
    public IReadOnlyList<TrainingSample> Build(IReadOnlyList<JudgedRollout> rollouts, Random random)
    {
        var cache = new Dictionary<string, int[]>();   // one f_train prompt per task, shared by its group
        return rollouts.Select(r =>
        {
            bool recontextualize = policy.Mode switch
            {
                RecontextMode.Standard => false,
                RecontextMode.All => true,
                RecontextMode.Fraction => random.NextDouble() < policy.Fraction,
                RecontextMode.Selective => predicate!.Matches(r.Score),
                _ => throw new InvalidOperationException($"unknown mode {policy.Mode}"),
            };
            var trainingIds = recontextualize
                ? cache.TryGetValue(r.Task.Id, out var ids) ? ids : cache[r.Task.Id] = prompts.Encode(r.Task, training)
                : r.GenerationPromptIds;
            return new TrainingSample
            {
                TaskId = r.Task.Id,
                Group = r.Group,
                GenerationPromptIds = r.GenerationPromptIds,
                TrainingPromptIds = trainingIds,
                CompletionIds = r.CompletionIds,
                GenerationLogProbs = r.GenerationLogProbs,
                LossMask = policy.AnswerOnly ? ReasoningSpanMask.Compute(tokenizer, r.CompletionIds) : Enumerable.Repeat(1f, r.CompletionIds.Length).ToArray(),
                Reward = r.Score.ShapedReward,
                GenerationContext = r.GenerationContext.Name,
                TrainingContext = recontextualize ? training.Name : r.GenerationContext.Name,
            };
        }).ToList();
    }
}
