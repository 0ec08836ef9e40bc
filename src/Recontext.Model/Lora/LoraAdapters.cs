using Recontext.Model.Checkpoints;
using Recontext.Model.Modules;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Recontext.Model.Lora;

/// <summary>
/// LoRA adapters attached to a model's projections. Attaching freezes every base weight, so only the adapters train;
/// <see cref="UseBase"/> turns them off for a forward pass, which makes the frozen base the KL reference without a
/// second copy of the model. Adapters save and load in PEFT's layout (<c>adapter_config.json</c>,
/// <c>adapter_model.safetensors</c> with keys <c>base_model.model.&lt;module&gt;.lora_A.weight</c>), and
/// <see cref="Merge"/> folds them into the base weights for export.
/// </summary>
public sealed class LoraAdapters : IDisposable
{
    public const string WeightsFile = "adapter_model.safetensors";
    const string PeftPrefix = "base_model.model.";

    readonly SortedDictionary<string, (Projection Projection, LoraAdapter Adapter)> adapters = new(StringComparer.Ordinal);
    readonly List<Parameter> frozen = [];
    readonly CausalLm model;

    LoraAdapters(CausalLm model, LoraConfig config, long seed)
    {
        (this.model, Config) = (model, config);
        // Dropout draws from the adapters' own generator, on the model's device, so that activation checkpointing can
        // replay it (CausalLm.DropoutGenerator).
        if (config.Dropout > 0) DropoutRandom = model.DropoutGenerator = new Generator((ulong)seed + 1, model.Device);
    }

    /// <summary>Where the adapters' dropout masks come from; null without dropout.</summary>
    internal Generator? DropoutRandom { get; }

    public LoraConfig Config { get; }

    internal bool Enabled { get; private set; } = true;

    /// <summary>The adapted projections by module name (<c>model.layers.0.self_attn.q_proj</c>).</summary>
    public IReadOnlyCollection<string> Modules => adapters.Keys;

    /// <summary>What an optimizer trains: every adapter's A and B, in module order.</summary>
    public IReadOnlyList<Parameter> Parameters => adapters.Values.SelectMany(a => new[] { a.Adapter.A, a.Adapter.B }).ToList();

    public long ParameterCount => Parameters.Sum(p => p.numel());

    /// <summary>Adds fresh adapters (B = 0: the model's outputs do not change) to the configured projections and
    /// freezes every base weight.</summary>
    /// <exception cref="InvalidOperationException">the model has adapters attached already</exception>
    public static LoraAdapters Attach(CausalLm model, LoraConfig config, long seed)
    {
        config.Validate();
        var lora = new LoraAdapters(model, config, seed);
        var generator = new Generator((ulong)seed);
        foreach (var (name, module) in model.named_modules())
        {
            if (module is not Projection projection || !config.TargetModules.Contains(name[(name.LastIndexOf('.') + 1)..])) continue;
            if (projection.Adapter is not null) throw new InvalidOperationException($"{name} has a LoRA adapter already: detach it (Dispose) or merge first");
            var adapter = new LoraAdapter(lora, projection.InFeatures, projection.OutFeatures, config, projection.Weight.device, generator);
            projection.Adapter = adapter;
            lora.adapters[name] = (projection, adapter);
        }
        foreach (var parameter in model.parameters().Where(p => p.requires_grad))
        {
            parameter.requires_grad = false;
            lora.frozen.Add(parameter);
        }
        return lora;
    }

    /// <summary>Turns the adapters off until disposed: forward passes then compute the frozen base.</summary>
    public IDisposable UseBase()
    {
        bool before = Enabled;
        Enabled = false;
        return new Restore(() => Enabled = before);
    }

    /// <summary>Folds every adapter into its base weight (W += alpha/r · B · A) and detaches them: the model is then a
    /// plain model with the adapted behaviour, ready to save as a full checkpoint.</summary>
    public void Merge()
    {
        using (no_grad())
            foreach (var (projection, adapter) in adapters.Values)
            {
                using var delta = adapter.DeltaWeight();
                projection.Weight.add_(delta.to(projection.Weight.dtype));
            }
        Dispose();
    }

    /// <summary>The adapters' tensors under PEFT's key names.</summary>
    public Dictionary<string, Tensor> PeftStateDict()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, (_, adapter)) in adapters)
        {
            state[$"{PeftPrefix}{name}.lora_A.weight"] = adapter.A;
            state[$"{PeftPrefix}{name}.lora_B.weight"] = adapter.B;
        }
        return state;
    }

    /// <summary>Writes adapter_config.json and adapter_model.safetensors (fp32) into <paramref name="directory"/>.</summary>
    /// <param name="baseModel">the base model's folder, recorded as PEFT's base_model_name_or_path</param>
    public void Save(string directory, string? baseModel = null)
    {
        Directory.CreateDirectory(directory);
        SafeTensors.Save(Path.Combine(directory, WeightsFile), PeftStateDict(), new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(directory, LoraConfig.FileName), Config.ToPeftJson(baseModel));
    }

    /// <summary>Attaches the adapter a folder holds (PEFT layout) to <paramref name="model"/>.</summary>
    /// <exception cref="FileNotFoundException">adapter_config.json or adapter_model.safetensors is missing</exception>
    /// <exception cref="InvalidDataException">a config PEFT feature this lacks, or tensors that do not fit the model (keys and shapes named)</exception>
    public static LoraAdapters Load(CausalLm model, string directory)
    {
        var configPath = Path.Combine(directory, LoraConfig.FileName);
        var weightsPath = Path.Combine(directory, WeightsFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"no {LoraConfig.FileName} in {directory}", configPath);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"no {WeightsFile} in {directory}", weightsPath);
        var config = LoraConfig.FromPeftJson(File.ReadAllText(configPath), configPath);
        var lora = Attach(model, config, seed: 0);
        var loaded = SafeTensors.Load(weightsPath);
        try
        {
            var expected = lora.PeftStateDict();
            var problems = expected.Where(kv => !loaded.TryGetValue(kv.Key, out var t) || !t.shape.SequenceEqual(kv.Value.shape))
                .Select(kv => loaded.TryGetValue(kv.Key, out var t)
                    ? $"'{kv.Key}' has shape {SafeTensors.FormatShape(t.shape)} but the model needs {SafeTensors.FormatShape(kv.Value.shape)}"
                    : $"'{kv.Key}' is missing")
                .Concat(loaded.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"'{k}' matches no projection of the model"))
                .ToList();
            if (problems.Count > 0)
                throw new InvalidDataException($"{weightsPath} does not fit the model: {string.Join("; ", problems.Take(5))}" +
                                               (problems.Count > 5 ? $"; and {problems.Count - 5} more" : ""));
            using (no_grad())
                foreach (var (key, tensor) in expected)
                {
                    var source = loaded[key];
                    using var converted = source.dtype == tensor.dtype ? null : source.to(tensor.dtype);
                    tensor.copy_(converted ?? source);
                }
            return lora;
        }
        catch
        {
            lora.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensor in loaded.Values) tensor.Dispose();
        }
    }

    /// <summary>Detaches the adapters from the model and unfreezes its base weights.</summary>
    public void Dispose()
    {
        Enabled = false;
        foreach (var (projection, adapter) in adapters.Values)
        {
            projection.Adapter = null;
            adapter.Dispose();
        }
        adapters.Clear();
        foreach (var parameter in frozen) parameter.requires_grad = true;
        frozen.Clear();
        if (DropoutRandom is not null && model.DropoutGenerator == DropoutRandom)
        {
            model.DropoutGenerator = null;
            DropoutRandom.Dispose();
        }
    }

    sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
