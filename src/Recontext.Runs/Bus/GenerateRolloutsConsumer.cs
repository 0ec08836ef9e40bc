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
            var sampling = new SamplingOptions { MaxNewTokens = m.MaxNewTokens, Temperature = m.Temperature, StopTokenIds = [ByteTokenizer.ImEnd] };
            var completions = await TorchThread.Default.Run(() => session.Generator.Generate(m.Prompts.Select(p => p.PromptIds).ToArray(), m.SamplesPerPrompt, sampling, m.Seed));
            await context.Publish(new RolloutsGenerated
            {
                RunId = m.RunId, Step = m.Step, BatchId = m.BatchId, PolicyVersion = m.PolicyVersion,
                Completions = completions.Select(c => new SampledCompletion
                {
                    Group = m.Prompts[c.PromptIndex].Group, SampleIndex = c.SampleIndex, TokenIds = c.TokenIds, Text = c.Text, LogProbs = c.LogProbs,
                }).ToArray(),
                Seconds = watch.Elapsed.TotalSeconds,
                Tasks = m.Tasks,
                Variant = m.Variant,
                ForJudgeService = m.ForJudgeService,
            });
        });
    }
}
