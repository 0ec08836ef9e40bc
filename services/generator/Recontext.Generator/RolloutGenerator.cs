using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Prompts.Tokenization;

namespace Recontext.Generator;

/// <summary>Samples G completions per prompt with the current policy, in batches, prompt-major order.</summary>
public sealed class RolloutGenerator(CausalLm model, ITokenizer tokenizer, int maxBatch = 128)
{
    readonly TextGenerator generator = new(model, tokenizer);

    /// <param name="seed">each batch gets seed + batch index, so a run is reproducible and batches differ</param>
    public IReadOnlyList<GeneratedCompletion> Generate(IReadOnlyList<int[]> prompts, int samplesPerPrompt, SamplingOptions options, long seed)
    {
        var jobs = prompts.SelectMany((prompt, p) => Enumerable.Range(0, samplesPerPrompt).Select(s => (Prompt: prompt, P: p, S: s))).ToList();
        var results = new List<GeneratedCompletion>(jobs.Count);
        for (int start = 0, batch = 0; start < jobs.Count; start += maxBatch, batch++)
        {
            var chunk = jobs.Skip(start).Take(maxBatch).ToList();
            var outputs = generator.Generate(chunk.Select(j => j.Prompt).ToArray(), options with { Seed = seed + batch });
            results.AddRange(chunk.Select((j, i) => new GeneratedCompletion(j.P, j.S, outputs[i].TokenIds, outputs[i].Text, outputs[i].LogProbs)));
        }
        return results;
    }
}
