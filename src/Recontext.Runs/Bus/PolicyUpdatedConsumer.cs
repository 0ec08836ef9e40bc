using MassTransit;
using Recontext.Contracts;

namespace Recontext.Runs.Bus;

/// <summary>Coordinator role: a policy update closes the step the run loop is waiting for.</summary>
public sealed class PolicyUpdatedConsumer(RunSessions sessions) : IConsumer<PolicyUpdated>
{
    public Task Consume(ConsumeContext<PolicyUpdated> context)
    {
        var m = context.Message;
        var session = sessions.Get(m.RunId);
        session.Batch(m.BatchId).Update = m;
        session.Complete(m.BatchId);
        return Task.CompletedTask;
    }
}
