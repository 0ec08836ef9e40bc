using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Recontext.Contracts.Grpc;
using Recontext.Model.Checkpoints;
using Recontext.Model.Lora;

namespace Recontext.Trainer.Messaging.Weights;

/// <summary>
/// Serves policy versions to generator services: the checkpoint files of the version a run's
/// <see cref="WeightSources"/> entry resolves (config.json and the weights, one file or shards with their index; for a
/// LoRA run's versions after the start, the adapter alone: adapter_config.json and adapter_model.safetensors), cut into <see cref="ChunkBytes"/> chunks, each file's SHA-256 on its
/// last chunk. Files are read whole before sending, so a resume point swapped in meanwhile cannot tear a stream.
/// </summary>
public sealed class PolicyWeightsService(WeightSources sources) : PolicyWeights.PolicyWeightsBase
{
    public const int ChunkBytes = 1 << 20;

    /// <summary>The files a version folder is sent as.</summary>
    public static IReadOnlyList<string> FilesOf(string directory)
    {
        if (File.Exists(Path.Combine(directory, LoraConfig.FileName))) return [LoraConfig.FileName, LoraAdapters.WeightsFile];
        var index = File.Exists(Path.Combine(directory, Checkpoint.ShardIndexFile)) ? new[] { Checkpoint.ShardIndexFile } : [];
        return [Checkpoint.ConfigFile, .. index, .. Checkpoint.WeightFiles(directory).Select(Path.GetFileName).OfType<string>()];
    }

    public override async Task Fetch(FetchWeights request, IServerStreamWriter<WeightChunk> responseStream, ServerCallContext context)
    {
        var directory = sources.Resolve(request.RunId, request.Version);
        foreach (var file in FilesOf(directory))
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(directory, file), context.CancellationToken);
            var sha = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
            for (long offset = 0; offset < bytes.Length || offset == 0; offset += ChunkBytes)
            {
                int length = (int)Math.Min(ChunkBytes, bytes.Length - offset);
                bool last = offset + length >= bytes.Length;
                await responseStream.WriteAsync(new WeightChunk
                {
                    File = file, Offset = offset, FileLength = bytes.Length,
                    Data = ByteString.CopyFrom(bytes, (int)offset, length),
                    Sha256 = last ? sha : "",
                }, context.CancellationToken);
                if (last) break;
            }
        }
    }
}
