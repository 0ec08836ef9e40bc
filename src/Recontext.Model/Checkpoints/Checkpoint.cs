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

    public static void Save(CausalLm model, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, ConfigFile), model.Config.ToJson());
        SafeTensors.Save(Path.Combine(directory, WeightsFile), model.state_dict(), new Dictionary<string, string> { ["format"] = "pt" });
    }

    public static CausalLm Load(string directory, Device? device = null)
    {
        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"no {ConfigFile} in {directory}", configPath);
        var model = new CausalLm(TransformerConfig.FromJson(File.ReadAllText(configPath)));
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
