using System.Diagnostics;
using MassTransit;
using Recontext.Contracts;
using Recontext.Prompts;

namespace Recontext.Generator.Messaging;

/// <summary>
/// The generator role: samples a batch (or one chunk of a batch) with the policy version the message names and publishes the completions
/// with the request passed on (the coordinator sends them to the judge). The same consumer runs in a run's process (the run's own model,
/// <see cref="LocalPolicies"/>) and in the generator's service (versions fetched over gRPC, <see cref="PolicyCache"/>);
/// the coordinator sends each batch to the queue of the one it chose. Text goes through the run model's tokenizer
/// (<see cref="GenerateRollouts.ModelFolder"/>: a Hugging Face folder's, or the organism's byte tokenizer).
/// </summary>
public sealed class GenerateRolloutsConsumer(IPolicySource policies, GeneratorWorker worker) : IConsumer<GenerateRollouts>
{
    public async Task Consume(ConsumeContext<GenerateRollouts> context)
    {
        var m = context.Message;
        var watch = Stopwatch.StartNew();
        var text = ModelText.For(m.ModelFolder);
        var sampling = GenerationMessages.Sampling(m, text);
        var completions = await policies.WithPolicyAsync(m, model =>
        {
            if (text.Tokenizer.VocabSize > model.Config.VocabSize)
                throw new NotSupportedException($"run {m.RunId}: the tokenizer of {m.ModelFolder ?? "the organism"} has {text.Tokenizer.VocabSize} ids, " +
                                                $"more than the policy's vocabulary ({model.Config.VocabSize})");
            var prompts = m.Prompts.Select(p => p.PromptIds).ToArray();
            var sampled = new RolloutGenerator(model, text.Tokenizer).Generate(prompts, m.SamplesPerPrompt, sampling, m.Seed);
            return m.Detector is null ? sampled : DetectorMarks.Mark(model, m.Detector, prompts, sampled, text.Tokenizer.PaddingId);
        }, context.CancellationToken);
        GeneratorMetrics.Rollouts.Inc(completions.Count);
        GeneratorMetrics.Tokens.Inc(completions.Sum(c => c.TokenIds.Length));
        GeneratorMetrics.BatchSeconds.Observe(watch.Elapsed.TotalSeconds);
        await context.Publish(GenerationMessages.Answer(m, completions, watch.Elapsed.TotalSeconds, worker.Name));
    }
}
