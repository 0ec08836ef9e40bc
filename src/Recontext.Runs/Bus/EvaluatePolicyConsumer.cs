using MassTransit;
using Recontext.Contracts;
using Recontext.Model;

namespace Recontext.Runs.Bus;

/// <summary>Evaluation role (generator + judge on held-out tasks): rates per eval context for one policy version.</summary>
public sealed class EvaluatePolicyConsumer(RunSessions sessions) : IConsumer<EvaluatePolicy>
{
    public async Task Consume(ConsumeContext<EvaluatePolicy> context)
    {
        var m = context.Message;
        if (!sessions.TryGet(m.RunId, out var session)) return;   // a run of another process on a shared broker
        // Sampling needs the torch thread; the toy judge inside completes synchronously.
        var rates = await TorchThread.Default.Run(() => session.Evaluate(m.Seed).GetAwaiter().GetResult());
        await context.Publish(new PolicyEvaluated
        {
            RunId = m.RunId, Step = m.Step, EvaluationId = m.EvaluationId,
            Contexts = rates.Select(r => new ContextEvaluation
            {
                Context = r.Context, Samples = r.Samples, HackRate = r.HackRate, CorrectRate = r.CorrectRate, WellFormedRate = r.WellFormedRate,
                MeanTrainReward = r.MeanTrainReward, IntendsToPassRate = r.IntendsToPassRate, MentionsTestsRate = r.MentionsTestsRate,
                FlagsWrongTestRate = r.FlagsWrongTestRate,
            }).ToArray(),
        });
    }
}
