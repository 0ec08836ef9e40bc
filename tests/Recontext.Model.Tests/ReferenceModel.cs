using System.Diagnostics;
using Recontext.Model.Checkpoints;
using static TorchSharp.torch;

namespace Recontext.Model.Tests;

/// <summary>
/// Runs tests/reference/causal_lm_reference.py, a PyTorch forward pass of the three families that shares no code with
/// ours, under Debian's python3 with python3-torch (which .ci/run installs).
/// </summary>
static class ReferenceModel
{
    public sealed record Output(Tensor Logits, long[] Greedy) : IDisposable
    {
        public void Dispose() => Logits.Dispose();
    }

    /// <param name="rows">logits of the last this many positions; 0 for all</param>
    /// <param name="mutate">a piece the reference breaks on purpose (see the script's --mutate)</param>
    /// <param name="adapter">a LoRA adapter folder in PEFT's layout that the reference merges into the weights</param>
    public static Output Run(string modelDir, IReadOnlyList<int> ids, int greedy, int rows = 0, string? mutate = null, string? adapter = null)
    {
        var output = Path.Combine(Path.GetDirectoryName(modelDir)!, $"{Path.GetFileName(modelDir)}-reference-{mutate ?? "exact"}{(adapter is null ? "" : "-adapter")}.safetensors");
        List<string> arguments = [modelDir, "--ids", string.Join(",", ids), "--greedy", $"{greedy}", "--rows", $"{rows}", "--out", output];
        if (mutate is not null) arguments.AddRange(["--mutate", mutate]);
        if (adapter is not null) arguments.AddRange(["--adapter", adapter]);
        ReferenceScripts.Run("causal_lm_reference.py", arguments);
        var tensors = SafeTensors.Load(output);
        using var greedyIds = tensors["greedy"];
        return new Output(tensors["logits"], greedyIds.data<long>().ToArray());
    }

    /// <summary>The reference's residual stream after each decoder layer over <paramref name="ids"/>: [T, C] per layer.</summary>
    public static Tensor[] Hidden(string modelDir, IReadOnlyList<int> ids)
    {
        var output = Path.Combine(Path.GetDirectoryName(modelDir)!, $"{Path.GetFileName(modelDir)}-hidden-{ids.Count}.safetensors");
        ReferenceScripts.Run("causal_lm_reference.py", [modelDir, "--ids", string.Join(",", ids), "--rows", "1", "--hidden", "--out", output]);
        var tensors = SafeTensors.Load(output);
        var layers = tensors.Keys.Count(k => k.StartsWith("hidden.", StringComparison.Ordinal));
        foreach (var (name, t) in tensors) if (!name.StartsWith("hidden.", StringComparison.Ordinal)) t.Dispose();
        return Enumerable.Range(0, layers).Select(k => tensors[$"hidden.{k}"]).ToArray();
    }
}

/// <summary>Runs a script of tests/reference/ under Debian's python3 (the one python3-torch and python3-jinja2 install into).</summary>
static class ReferenceScripts
{
    const string Python = "/usr/bin/python3";

    /// <returns>the script's standard output</returns>
    public static string Run(string script, IEnumerable<string> arguments, string? input = null)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: apt-get install python3 python3-torch python3-numpy python3-jinja2 (.ci/run does)");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "reference", script));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"{script} did not finish in 3 minutes");
        Assert.True(process.ExitCode == 0, $"{script} failed ({process.ExitCode}): {stderr.Result}" +
                                           (stderr.Result.Contains("No module named") ? " — apt-get install python3-torch python3-numpy python3-jinja2 (.ci/run does)" : ""));
        return stdout.Result;
    }
}
