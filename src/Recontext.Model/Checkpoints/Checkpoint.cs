using System.Text.Json;
using Recontext.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Model.Checkpoints;

/// <summary>
/// A model directory in Hugging Face layout: <c>config.json</c> plus <c>model.safetensors</c> (or shards listed in
/// <c>model.safetensors.index.json</c>).
/// </summary>
public static class Checkpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string ShardIndexFile = "model.safetensors.index.json";

    /// <summary>The dtypes weights can be stored in, by the name Hugging Face's <c>torch_dtype</c> gives them.</summary>
    public static readonly IReadOnlyDictionary<string, ScalarType> StorageDtypes = new Dictionary<string, ScalarType>
    {
        ["float32"] = ScalarType.Float32, ["bfloat16"] = ScalarType.BFloat16, ["float16"] = ScalarType.Float16,
    };

    /// <summary>Writes config.json and the weights, as one model.safetensors or, past <paramref name="maxShardBytes"/>,
    /// as Hugging Face's numbered shards plus model.safetensors.index.json.</summary>
    /// <param name="storageDtype">"float32", "bfloat16" or "float16"; the model itself is not changed</param>
    /// <param name="maxShardBytes">largest shard; null writes one file</param>
    public static void Save(CausalLm model, string directory, string storageDtype = "float32", long? maxShardBytes = null)
    {
        if (!StorageDtypes.TryGetValue(storageDtype, out var dtype))
            throw new ArgumentException($"storage dtype '{storageDtype}' is not supported; supported: {string.Join(", ", StorageDtypes.Keys)}");
        Directory.CreateDirectory(directory);
        var state = model.state_dict();
        var stored = state.ToDictionary(kv => kv.Key, kv => kv.Value.dtype == dtype ? kv.Value : kv.Value.detach().to(dtype));
        try
        {
            var metadata = new Dictionary<string, string> { ["format"] = "pt" };
            var shards = Shards(stored, maxShardBytes);
            // A folder written before in the other layout must not keep it: loading prefers model.safetensors.
            if (shards.Count == 1)
            {
                SafeTensors.Save(Path.Combine(directory, WeightsFile), stored, metadata);
                File.Delete(Path.Combine(directory, ShardIndexFile));
            }
            else
            {
                SaveShards(directory, stored, shards, metadata);
                File.Delete(Path.Combine(directory, WeightsFile));
            }
            File.WriteAllText(Path.Combine(directory, ConfigFile), model.Config.ToJson(storageDtype));
        }
        finally
        {
            foreach (var (key, tensor) in stored) if (!ReferenceEquals(tensor, state[key])) tensor.Dispose();
        }
    }

    /// <summary>Keys in name order, cut into consecutive groups of at most <paramref name="maxBytes"/> (a larger tensor alone).</summary>
    static List<List<string>> Shards(Dictionary<string, Tensor> tensors, long? maxBytes)
    {
        var shards = new List<List<string>> { new() };
        long size = 0;
        foreach (var key in tensors.Keys.Order(StringComparer.Ordinal))
        {
            long bytes = tensors[key].NumberOfElements * tensors[key].ElementSize;
            if (maxBytes is long max && size > 0 && size + bytes > max)
            {
                shards.Add([]);
                size = 0;
            }
            shards[^1].Add(key);
            size += bytes;
        }
        return shards;
    }

    static void SaveShards(string directory, Dictionary<string, Tensor> tensors, List<List<string>> shards, Dictionary<string, string> metadata)
    {
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < shards.Count; i++)
        {
            var name = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
            SafeTensors.Save(Path.Combine(directory, name), shards[i].ToDictionary(k => k, k => tensors[k]), metadata);
            foreach (var key in shards[i]) weightMap[key] = name;
        }
        long total = tensors.Values.Sum(t => t.NumberOfElements * t.ElementSize);
        var index = new { metadata = new { total_size = total }, weight_map = weightMap };
        File.WriteAllText(Path.Combine(directory, ShardIndexFile), JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <param name="dtype">the dtype the weights take in memory (<see cref="ComputeDtype"/>); null: float32. The model
    /// takes it before the weights are copied in, so a bf16 checkpoint loads into bf16 without an fp32 copy.</param>
    public static CausalLm Load(string directory, Device? device = null, ScalarType? dtype = null)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"no {ConfigFile} in {directory}", configPath);
        var model = new CausalLm(TransformerConfig.FromJson(File.ReadAllText(configPath)));
        if (dtype is { } narrower && narrower != ScalarType.Float32) model.to(narrower);
        LoadWeights(model, directory);
        if (device is not null) model.to(device);
        return model;
    }

    /// <summary>
    /// Copies a directory's weights into <paramref name="model"/>. Every model key must be present with the same
    /// shape and no other key may exist; otherwise a <see cref="CheckpointMismatchException"/> names the keys
    /// and both shapes. Dtypes are converted to the model's.
    /// </summary>
    public static void LoadWeights(CausalLm model, string directory)
    {
        var loaded = ReadAllShards(directory);
        try
        {
            var expected = model.state_dict();
            var problems = new List<(string Key, string Text)>();
            foreach (var (key, tensor) in expected.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (!loaded.TryGetValue(key, out var found))
                    problems.Add((key, $"missing key '{key}' (model shape {SafeTensors.FormatShape(tensor.shape)})"));
                else if (!found.shape.SequenceEqual(tensor.shape))
                    problems.Add((key, $"key '{key}' has shape {SafeTensors.FormatShape(found.shape)} in the checkpoint but {SafeTensors.FormatShape(tensor.shape)} in the model"));
            }
            foreach (var key in loaded.Keys.Where(k => !expected.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal))
                problems.Add((key, $"unexpected key '{key}' (checkpoint shape {SafeTensors.FormatShape(loaded[key].shape)}) that the model does not have"));
            if (problems.Count > 0)
            {
                var shown = string.Join("; ", problems.Take(10).Select(p => p.Text));
                var more = problems.Count > 10 ? $"; and {problems.Count - 10} more" : "";
                throw new CheckpointMismatchException($"checkpoint in {directory} does not match the model: {shown}{more}", problems[0].Key);
            }
            using var noGrad = no_grad();
            foreach (var (key, tensor) in expected)
            {
                // The converted tensor stays referenced until copy_ returns: an unreferenced temporary could be
                // finalized by the GC while libtorch still reads it (a use-after-free seen as crashes in retain_()).
                var source = loaded[key];
                using var converted = source.dtype == tensor.dtype ? null : source.to(tensor.dtype);
                tensor.copy_(converted ?? source);
            }
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    static Dictionary<string, Tensor> ReadAllShards(string directory)
    {
        var all = new Dictionary<string, Tensor>();
        foreach (var file in WeightFiles(directory))
            foreach (var (key, tensor) in SafeTensors.Load(file)) all[key] = tensor;
        return all;
    }

    /// <summary>The safetensors files holding a folder's weights: model.safetensors, or the shards its index names.</summary>
    /// <exception cref="FileNotFoundException">neither file exists, or the index names a shard that is not there (named)</exception>
    public static IReadOnlyList<string> WeightFiles(string directory)
    {
        var single = Path.Combine(directory, WeightsFile);
        if (File.Exists(single)) return [single];
        var indexPath = Path.Combine(directory, ShardIndexFile);
        if (!File.Exists(indexPath)) throw new FileNotFoundException($"neither {WeightsFile} nor {ShardIndexFile} in {directory}");
        using var index = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        var shards = index.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => Path.Combine(directory, p.Value.GetString()!)).Distinct().ToList();
        var missing = shards.FirstOrDefault(s => !File.Exists(s));
        return missing is null ? shards
            : throw new FileNotFoundException($"{ShardIndexFile} names the shard {Path.GetFileName(missing)}, which is not in {directory}", missing);
    }
}
