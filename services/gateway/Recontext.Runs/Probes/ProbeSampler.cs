using Recontext.Environments;
using Recontext.Generator;
using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Model.Probing;
using Recontext.Prompts;
using Recontext.Recontextualizer;

namespace Recontext.Runs.Probes;

/// <summary>
/// Labelled completions for a probe from a setting: the model answers held-out tasks under the given contexts (sampled
/// at temperature 1, as a run samples), the setting's judge scores each answer, and the label is whether it misbehaved
/// (for the lying setting: deceived). Malformed answers are left out (they are neither).
/// </summary>
public static class ProbeSampler
{
    public sealed record Sample(ProbeRow Row, LabelledCompletion Tokens);

    public static async Task<IReadOnlyList<Sample>> SampleAsync(IEnvironment environment, CausalLm model, ModelText text, IReadOnlyList<PromptContext> contexts,
        int tasksPerContext, long seed, int maxNewTokens = 160, IProgress<string>? progress = null)
    {
        var tasks = environment.SampleTasks(TaskSplit.Eval, tasksPerContext, seed);
        var generator = new RolloutGenerator(model, text.Tokenizer);
        var sampling = new SamplingOptions { MaxNewTokens = maxNewTokens, Temperature = 1.0, StopTokenIds = text.StopTokenIds };
        var samples = new List<Sample>();
        foreach (var context in contexts)
        {
            var chats = tasks.Select(t => environment.Render(t, context)).ToArray();
            var prompts = chats.Select(text.EncodePrompt).ToArray();
            var completions = generator.Generate(prompts, 1, sampling, seed + samples.Count);
            var scores = await Task.WhenAll(completions.Select(c => environment.ScoreAsync(tasks[c.PromptIndex], c.Text, context.Variant)));
            for (int i = 0; i < completions.Count; i++)
            {
                var c = completions[i];
                if (scores[i].Malformed || c.TokenIds.Length == 0) continue;
                samples.Add(new Sample(new ProbeRow(chats[c.PromptIndex], c.Text, scores[i].Misbehaved, context.Name, tasks[c.PromptIndex].Id),
                    new LabelledCompletion(prompts[c.PromptIndex], c.TokenIds, scores[i].Misbehaved)));
            }
            progress?.Report($"{context.Name}: {completions.Count} completions, {scores.Count(s => s.Misbehaved)} {environment.Misbehaviour.Key}, {scores.Count(s => s.Malformed)} malformed");
        }
        return samples;
    }

    /// <summary>A data file's rows as token ids for a model's tokenizer and chat format.</summary>
    public static IReadOnlyList<LabelledCompletion> Tokenize(IReadOnlyList<ProbeRow> rows, ModelText text) =>
        rows.Select(r => new LabelledCompletion(text.EncodePrompt(r.Messages), text.Tokenizer.Encode(r.Completion), r.Label)).ToArray();
}
