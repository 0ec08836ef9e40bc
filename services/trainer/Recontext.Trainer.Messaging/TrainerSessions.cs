using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Recontext.Trainer.Messaging;

/// <summary>The runs whose trainer lives in this process, by run id.</summary>
public sealed class TrainerSessions
{
    readonly ConcurrentDictionary<string, TrainerSession> sessions = new();

    public void Add(TrainerSession session) => sessions[session.RunId] = session;

    public void Remove(string runId) => sessions.TryRemove(runId, out _);

    public bool TryGet(string runId, [NotNullWhen(true)] out TrainerSession? session) => sessions.TryGetValue(runId, out session);
}
