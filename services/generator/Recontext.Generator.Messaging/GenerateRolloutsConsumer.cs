using System.Diagnostics;
using MassTransit;
using Recontext.Contracts;
using Recontext.Prompts.Tokenization;

namespace Recontext.Generator.Messaging;

/// <summary>
/// The generator role: samples a batch (or one chunk of a batch) with the policy version the message names and publishes the completions
/// with the request passed on to the judge. The same consumer runs in a run's process (the run's own model,
/// <see cref="LocalPolicies"/>) and in the generator's service (versions fetched over gRPC, <see cref="PolicyCache"/>);
/// its <see cref="RoleScope"/> says which batches are its own. Toy models with the byte tokenizer so far.
/// </summary>
public sealed class GenerateRolloutsConsumer(IPolicySource policies, RoleScope scope, GeneratorWorker worker) : IConsumer<GenerateRollouts>
{
    readonly ByteTokenizer tokenizer = new();

    public async Task Consume(ConsumeContext<GenerateRollouts> context)
    {
        var m = context.Message;
        if (!scope.Accepts(ServiceRoles.Generator, m.RunId, m.ServedRoles)) return;
        var watch = Stopwatch.StartNew();
        var sampling = GenerationMessages.Sampling(m);
        var completions = await policies.WithPolicyAsync(m, model =>
        {
            if (model.Config.VocabSize != tokenizer.VocabSize)
                throw new NotSupportedException($"run {m.RunId}: the generator samples byte-tokenizer models (vocabulary {tokenizer.VocabSize}), not {model.Config.VocabSize}");
            return new RolloutGenerator(model, tokenizer).Generate(m.Prompts.Select(p => p.PromptIds).ToArray(), m.SamplesPerPrompt, sampling, m.Seed);
        }, context.CancellationToken);
        GeneratorMetrics.Rollouts.Inc(completions.Count);
        GeneratorMetrics.Tokens.Inc(completions.Sum(c => c.TokenIds.Length));
        GeneratorMetrics.BatchSeconds.Observe(watch.Elapsed.TotalSeconds);
        await context.Publish(GenerationMessages.Answer(m, completions, watch.Elapsed.TotalSeconds, worker.Name));
    }
}
