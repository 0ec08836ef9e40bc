using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Model;

/// <summary>
/// Where a model runs, chosen at run time: <c>auto</c> (the first GPU when libtorch has CUDA and sees one, else the
/// CPU), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>. The CPU build runs the same code; only the libtorch package differs
/// (the <c>TorchBackend</c> build property).
/// </summary>
public static class DeviceSelection
{
    /// <summary>The spellings <see cref="Resolve"/> accepts, checked without loading libtorch (experiment files).</summary>
    /// <exception cref="ArgumentException">not auto, cpu, cuda or cuda:N</exception>
    public static string Validate(string spec)
    {
        var text = spec.Trim().ToLowerInvariant();
        if (text is "auto" or "cpu" or "cuda" || (text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text[5..], out var n) && n >= 0)) return text;
        throw new ArgumentException($"device '{spec}' is not one of auto, cpu, cuda, cuda:N");
    }

    /// <summary>The device of this process's generator service (<c>RECONTEXT_DEVICE</c>, default auto).</summary>
    public static Device FromEnvironment() => Resolve(Environment.GetEnvironmentVariable("RECONTEXT_DEVICE") ?? "auto");

    /// <exception cref="ArgumentException">an unknown spelling, or CUDA asked for where libtorch has none or the GPU index
    /// does not exist</exception>
    public static Device Resolve(string spec)
    {
        TorchRuntime.EnsureLoaded();
        var text = spec.Trim().ToLowerInvariant();
        if (text == "cpu") return CPU;
        bool available = cuda.is_available();
        if (text == "auto") return available ? CUDA : CPU;
        if (text != "cuda" && !text.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ArgumentException($"device '{spec}' is not one of auto, cpu, cuda, cuda:N");
        if (!available)
            throw new ArgumentException($"device '{spec}': this libtorch has no CUDA or sees no GPU (build with -p:TorchBackend=cuda on a GPU host; " +
                                        "see the README), use --device cpu or auto");
        if (text == "cuda") return CUDA;
        if (!int.TryParse(text[5..], out var index) || index < 0 || index >= cuda.device_count())
            throw new ArgumentException($"device '{spec}': there are {cuda.device_count()} GPUs (cuda:0 to cuda:{cuda.device_count() - 1})");
        return new Device(DeviceType.CUDA, index);
    }
}
