using Recontext.Environments;
using Recontext.Generator;
using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;
using Recontext.Recontextualizer;

namespace Recontext.Runs.Evaluation;

/// <summary>Samples one completion per held-out task under each eval context and reports the judge's rates, in this
/// process with a model at hand (the organism's base and the perfect-labels pipeline; a run's evaluations go through
/// its generator and judge instead, see <see cref="RunCoordinator.EvaluateAsync"/>).</summary>
public sealed class PolicyEvaluator(IEnvironment environment, ModelText text, SamplingOptions sampling)
{
    readonly PromptTokens prompts = new(environment, text);

    public async Task<IReadOnlyList<ContextRates>> EvaluateAsync(CausalLm model, IReadOnlyList<EnvironmentTask> tasks, IReadOnlyList<PromptContext> contexts, long seed)
    {
        var generator = new RolloutGenerator(model, text.Tokenizer);
        var results = new List<ContextRates>();
        foreach (var context in contexts)
        {
            var completions = generator.Generate(tasks.Select(t => prompts.Encode(t, context)).ToArray(), 1, sampling, seed);
            var scores = await Task.WhenAll(completions.Select(c => environment.ScoreAsync(tasks[c.PromptIndex], c.Text, context.Variant)));
            results.Add(ContextRates.Of(context.Name, scores));
        }
        return results;
    }
}
