using System.Runtime.InteropServices;
using TorchSharp;

namespace Recontext.Model;

/// <summary>
/// Loads the native libtorch behind TorchSharp once, and turns a failed load into an error that says what
/// went wrong. TorchSharp's own message ("doesn't contain a reference to libtorch-cpu-linux-x64") hides the
/// real cause on Debian 12: libLibTorchSharp.so needs GLIBCXX_3.4.32, which the build marks as a weak need
/// (see docs/torchsharp-native.md). If that step was skipped, dlopen's own words are shown instead.
/// </summary>
public static class TorchRuntime
{
    static readonly Lazy<bool> Loaded = new(Load);

    /// <summary>Makes sure libtorch is loaded; throws <see cref="InvalidOperationException"/> with the cause.</summary>
    public static void EnsureLoaded() => _ = Loaded.Value;

    static bool Load()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return true;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(Diagnose(e), e);
        }
    }

    static string Diagnose(Exception original)
    {
        var library = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        if (!File.Exists(library))
            return $"TorchSharp could not load libtorch, and {library} does not exist: the native package " +
                   "(libtorch-cpu-linux-x64) was not copied to the output. Set UsesTorch=true in the project. " +
                   $"Original error: {original.Message}";
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(library));
        }
        catch (DllNotFoundException e) when (e.Message.Contains("GLIBCXX", StringComparison.Ordinal))
        {
            return $"{library} cannot be loaded because this system's libstdc++ lacks a symbol version it " +
                   $"declares ({e.Message}). The build step PatchLibTorchSharpOutput (build/TorchSharpNative.targets) " +
                   "marks that need weak; it did not run on this copy. Rebuild with the repository's " +
                   "Directory.Build.targets imported, and see docs/torchsharp-native.md.";
        }
        catch (Exception e)
        {
            return $"TorchSharp could not load libtorch: {e.Message} (original error: {original.Message})";
        }
        return $"TorchSharp could not load libtorch: {original.Message}";
    }
}
