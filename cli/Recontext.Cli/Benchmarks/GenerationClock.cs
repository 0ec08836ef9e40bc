using System.Collections.Concurrent;
using MassTransit;
using Recontext.Contracts;

namespace Recontext.Cli.Benchmarks;

/// <summary>
/// Times each training batch's generation as the bus carries it: from the first chunk of the batch the coordinator
/// published to the last chunk a generator answered. It listens on a queue of its own, so it measures whatever
/// deployment serves the run (the run's own process, or generator replicas on a broker) the same way.
/// </summary>
public sealed class GenerationClock
{
    readonly ConcurrentDictionary<Guid, (int Step, DateTime First, DateTime Last, int Chunks, int Answered)> batches = new();

    /// <summary>Binds the clock's handlers to a receive endpoint (of any transport).</summary>
    public void Configure(IReceiveEndpointConfigurator endpoint)
    {
        endpoint.Handler<GenerateRollouts>(context =>
        {
            var m = context.Message;
            if (!m.Evaluation) batches.AddOrUpdate(m.BatchId, _ => (m.Step, DateTime.UtcNow, DateTime.MinValue, m.Chunks, 0), (_, b) => b);
            return Task.CompletedTask;
        });
        endpoint.Handler<RolloutsGenerated>(context =>
        {
            var m = context.Message;
            if (!m.Request.Evaluation)
                batches.AddOrUpdate(m.BatchId, _ => (m.Step, DateTime.UtcNow, DateTime.UtcNow, m.Request.Chunks, 1),
                    (_, b) => b with { Last = DateTime.UtcNow, Answered = b.Answered + 1 });
            return Task.CompletedTask;
        });
    }

    /// <summary>Seconds from each step's first published chunk to its last generated one, by step; steps whose
    /// chunks have not all been answered are left out.</summary>
    public IReadOnlyDictionary<int, double> GenerationSeconds() => batches.Values
        .Where(b => b.Answered >= b.Chunks && b.Last >= b.First)
        .GroupBy(b => b.Step)
        .ToDictionary(g => g.Key, g => g.Max(b => (b.Last - b.First).TotalSeconds));
}
