using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using Recontext.Contracts.Grpc;

namespace Recontext.Generator.Messaging;

/// <summary>
/// Fetches a policy version's checkpoint files from a run's PolicyWeights server into a directory, checking each
/// file's length and SHA-256, within a deadline.
/// </summary>
public static class WeightsClient
{
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    /// <returns>bytes received</returns>
    /// <exception cref="InvalidDataException">a file arrived short, out of order, or with another checksum</exception>
    public static async Task<long> FetchAsync(string address, string runId, int version, string directory, CancellationToken cancellation)
    {
        Directory.CreateDirectory(directory);
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 16 << 20 });
        var client = new PolicyWeights.PolicyWeightsClient(channel);
        using var call = client.Fetch(new FetchWeights { RunId = runId, Version = version }, deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellation);
        long received = 0;
        string? current = null;
        FileStream? output = null;
        IncrementalHash? hash = null;
        try
        {
            await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellation))
            {
                if (chunk.File != current)
                {
                    if (current is not null) throw new InvalidDataException($"{current} ended without its checksum");
                    if (chunk.Offset != 0 || Path.GetFileName(chunk.File) != chunk.File) throw new InvalidDataException($"unexpected chunk of '{chunk.File}' at offset {chunk.Offset}");
                    current = chunk.File;
                    output = File.Create(Path.Combine(directory, chunk.File));
                    hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                }
                if (chunk.Offset != output!.Position) throw new InvalidDataException($"{current}: chunk at offset {chunk.Offset}, expected {output.Position}");
                chunk.Data.WriteTo(output);
                hash!.AppendData(chunk.Data.Span);
                received += chunk.Data.Length;
                if (chunk.Sha256.Length == 0) continue;
                var actual = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
                if (output.Position != chunk.FileLength) throw new InvalidDataException($"{current}: {output.Position} of {chunk.FileLength} bytes arrived");
                if (actual != chunk.Sha256) throw new InvalidDataException($"{current}: checksum {actual} differs from the server's {chunk.Sha256}");
                await output.DisposeAsync();
                output = null;
                hash.Dispose();
                hash = null;
                current = null;
            }
            if (current is not null) throw new InvalidDataException($"{current} ended without its checksum");
        }
        finally
        {
            output?.Dispose();
            hash?.Dispose();
        }
        return received;
    }
}
