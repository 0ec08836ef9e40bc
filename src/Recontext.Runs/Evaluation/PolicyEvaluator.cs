using Recontext.Generator;
using Recontext.Judge.Abstractions;
using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Prompts.Tokenization;
using Recontext.Recontextualizer;

namespace Recontext.Runs.Evaluation;

/// <summary>Samples one completion per held-out task under each eval context and reports the judge's rates.</summary>
public sealed class PolicyEvaluator(IEnvironment environment, ITokenizer tokenizer, SamplingOptions sampling)
{
    readonly PromptTokens prompts = new(environment, tokenizer);

    public async Task<IReadOnlyList<ContextRates>> EvaluateAsync(CausalLm model, IReadOnlyList<CodingTask> tasks, IReadOnlyList<PromptContext> contexts, long seed)
    {
        var generator = new RolloutGenerator(model, tokenizer);
        var results = new List<ContextRates>();
        foreach (var context in contexts)
        {
            var completions = generator.Generate(tasks.Select(t => prompts.Encode(t, context)).ToArray(), 1, sampling, seed);
            var scores = await Task.WhenAll(completions.Select(c => environment.ScoreAsync(tasks[c.PromptIndex], c.Text, context.Variant)));
            double Rate(Func<JudgeScore, bool> f) => scores.Length == 0 ? 0 : scores.Count(f) / (double)scores.Length;
            results.Add(new ContextRates(context.Name, scores.Length, Rate(s => s.Hack), Rate(s => s.Correct), Rate(s => !s.Malformed),
                scores.Select(s => s.TrainReward).DefaultIfEmpty(0).Average(), Rate(s => s.Labels.IntendsToPassTests),
                Rate(s => s.Labels.MentionsTests), Rate(s => s.Labels.FlagsWrongTest)));
        }
        return results;
    }
}
