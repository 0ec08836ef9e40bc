using System.Collections.Concurrent;

namespace Recontext.Runs.Bus;

/// <summary>The runs this process is driving, by run id.</summary>
public sealed class RunSessions
{
    readonly ConcurrentDictionary<string, RunSession> sessions = new();

    public void Add(RunSession session) => sessions[session.RunId] = session;

    public void Remove(string runId) => sessions.TryRemove(runId, out _);

    public RunSession Get(string runId) =>
        sessions.TryGetValue(runId, out var session) ? session : throw new InvalidOperationException($"no run '{runId}' in this process");
}
