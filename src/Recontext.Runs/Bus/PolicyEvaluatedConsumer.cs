using MassTransit;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>Coordinator role: an evaluation result closes the evaluation the run loop is waiting for.</summary>
public sealed class PolicyEvaluatedConsumer(RunSessions sessions) : IConsumer<PolicyEvaluated>
{
    public Task Consume(ConsumeContext<PolicyEvaluated> context)
    {
        var m = context.Message;
        if (sessions.TryGet(m.RunId, out var session)) session.CompleteEvaluation(m);
        return Task.CompletedTask;
    }
}
