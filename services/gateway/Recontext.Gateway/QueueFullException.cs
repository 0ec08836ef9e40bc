namespace Recontext.Gateway;

/// <summary>The gateway's queue of runs waiting to start is full (<see cref="GatewayOptions.MaxQueued"/>): HTTP 429,
/// gRPC ResourceExhausted.</summary>
public sealed class QueueFullException(string message) : Exception(message);
