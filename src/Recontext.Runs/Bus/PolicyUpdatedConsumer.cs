using MassTransit;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>Coordinator role: a policy update closes the step the run loop is waiting for.</summary>
public sealed class PolicyUpdatedConsumer(RunSessions sessions) : IConsumer<PolicyUpdated>
{
    public Task Consume(ConsumeContext<PolicyUpdated> context)
    {
        var m = context.Message;
        if (!sessions.TryGet(m.RunId, out var session)) return Task.CompletedTask;   // a run of another process on a shared broker
        session.Batch(m.BatchId).Update = m;
        session.Complete(m.BatchId);
        return Task.CompletedTask;
    }
}
