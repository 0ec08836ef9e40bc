using System.Collections.Concurrent;

namespace Recontext.Runs.Bus;

/// <summary>
/// The runs this process is driving, by run id. On a broker shared by several processes every process receives
/// every event, so consumers act only on runs found here (<see cref="TryGet"/>) and leave the others to their owner.
/// </summary>
public sealed class RunSessions
{
    readonly ConcurrentDictionary<string, RunSession> sessions = new();

    public void Add(RunSession session) => sessions[session.RunId] = session;

    public void Remove(string runId) => sessions.TryRemove(runId, out _);

    public bool TryGet(string runId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RunSession? session) => sessions.TryGetValue(runId, out session);

    public RunSession Get(string runId) =>
        sessions.TryGetValue(runId, out var session) ? session : throw new InvalidOperationException($"no run '{runId}' in this process");
}
