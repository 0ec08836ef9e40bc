using System.Diagnostics;
using MassTransit;
using Recontext.Contracts;
using Recontext.Model.Generation;
using Recontext.Model.Tokenization;

namespace Recontext.Generator.Messaging;

/// <summary>
/// The generator role as a service: samples a batch with the policy version the message names, fetched from the
/// run's PolicyWeights server when this process does not hold it, and publishes the completions with the tasks
/// passed on to the judge. Toy models with the byte tokenizer so far.
/// </summary>
public sealed class GenerateRolloutsServiceConsumer(PolicyCache policies) : IConsumer<GenerateRollouts>
{
    readonly ByteTokenizer tokenizer = new();

    public async Task Consume(ConsumeContext<GenerateRollouts> context)
    {
        var m = context.Message;
        // Without a weights address the batch is for the run's own generator (its process samples it): on a shared
        // broker this service sees it too and leaves it alone.
        if (m.WeightsAddress is not { } address) return;
        var watch = Stopwatch.StartNew();
        var sampling = GenerationMessages.Sampling(m);
        var completions = await policies.WithPolicyAsync(m.RunId, m.PolicyVersion, address, model =>
        {
            if (model.Config.VocabSize != tokenizer.VocabSize)
                throw new NotSupportedException($"run {m.RunId}: the generator service samples byte-tokenizer models (vocabulary {tokenizer.VocabSize}), not {model.Config.VocabSize}");
            return new RolloutGenerator(model, tokenizer).Generate(m.Prompts.Select(p => p.PromptIds).ToArray(), m.SamplesPerPrompt, sampling, m.Seed);
        }, context.CancellationToken);
        GeneratorMetrics.Rollouts.Inc(completions.Count);
        GeneratorMetrics.Tokens.Inc(completions.Sum(c => c.TokenIds.Length));
        GeneratorMetrics.BatchSeconds.Observe(watch.Elapsed.TotalSeconds);
        await context.Publish(GenerationMessages.Answer(m, completions, watch.Elapsed.TotalSeconds));
    }
}
