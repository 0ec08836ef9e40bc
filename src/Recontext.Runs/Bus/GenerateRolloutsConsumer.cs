using Recontext.Generator;
using System.Diagnostics;
using MassTransit;
using Recontext.Contracts;
using Recontext.Model;
using Recontext.Model.Generation;
using Recontext.Model.Tokenization;

namespace Recontext.Runs.Bus;

/// <summary>Generator role: samples the batch with the current policy.</summary>
public sealed class GenerateRolloutsConsumer(RunSessions sessions) : IConsumer<GenerateRollouts>
{
    public async Task Consume(ConsumeContext<GenerateRollouts> context)
    {
        var m = context.Message;
        if (!sessions.TryGet(m.RunId, out var session)) return;   // a run of another process on a shared broker
        await session.Guard(m.BatchId, async () =>
        {
            var watch = Stopwatch.StartNew();
            var sampling = GenerationMessages.Sampling(m);
            var completions = await TorchThread.Default.Run(() => session.Generator.Generate(m.Prompts.Select(p => p.PromptIds).ToArray(), m.SamplesPerPrompt, sampling, m.Seed));
            await context.Publish(GenerationMessages.Answer(m, completions, watch.Elapsed.TotalSeconds));
        });
    }
}
