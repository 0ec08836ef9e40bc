using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Model;

/// <summary>
/// The dtype a model's weights and activations take in memory, chosen at run time like its device (whatever the
/// checkpoint stores): <c>float32</c>, <c>bfloat16</c>, <c>float16</c>, or <c>auto</c> — bfloat16 on a GPU (half
/// the memory of fp32, the dtype Qwen and Llama checkpoints ship in) and float32 on the CPU (what the tests and the
/// organism run; no tensor cores to gain from). Norms, softmaxes and log-probabilities compute in fp32 whatever it
/// is, as Hugging Face's models do; LoRA adapters always hold fp32 weights.
/// </summary>
public static class ComputeDtype
{
    static readonly Dictionary<string, ScalarType?> Names = new()
    {
        ["auto"] = null, ["float32"] = ScalarType.Float32, ["bfloat16"] = ScalarType.BFloat16, ["float16"] = ScalarType.Float16,
    };

    /// <summary>The spelling, checked without loading libtorch (experiment files).</summary>
    /// <param name="field">the setting's name in the error (an experiment's computeDtype, a command's --dtype)</param>
    /// <exception cref="ArgumentException">not auto, float32, bfloat16 or float16</exception>
    public static string Validate(string spec, string field = "computeDtype")
    {
        var text = spec.Trim().ToLowerInvariant();
        return Names.ContainsKey(text) ? text : throw new ArgumentException($"{field} '{spec}' is not one of {string.Join(", ", Names.Keys)}");
    }

    /// <summary>Whether the spelling names a dtype narrower than fp32 (auto may become one on a GPU).</summary>
    public static bool IsReduced(string spec) => Validate(spec) is "bfloat16" or "float16";

    public static ScalarType Resolve(string spec, Device device) =>
        Names[Validate(spec)] ?? (device.type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32);
}
