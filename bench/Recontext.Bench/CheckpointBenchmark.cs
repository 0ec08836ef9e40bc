using System.Diagnostics;
using System.Text.Json;
using Recontext.Contracts;
using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Model.Lora;
using Recontext.Model.Modules;
using Recontext.Model.Training;
using Recontext.Trainer.Algorithms;
using Recontext.Trainer.Losses;
using Spectre.Console;
using static TorchSharp.torch;

namespace Recontext.Bench;

/// <summary>
/// `recontext bench checkpoints`: a Hugging Face folder of a real model's shapes (random weights, written by
/// <see cref="ModelInitializer"/>): load time and resident memory against the file size, generation tokens/s with the
/// KV cache at batch 1 and 8, one LoRA GRPO step, and the forward pass's scoring tokens/s against the independent
/// PyTorch reference (tests/reference/causal_lm_reference.py) on the same sequence with the same thread count, so the
/// headline is a ratio measured side by side, not a machine-dependent absolute.
/// </summary>
public static class CheckpointBenchmark
{
    /// <param name="size">tiny, small or 0.6b (Qwen3-0.6B's shapes)</param>
    /// <param name="folderCache">where the random folder is written once and reused</param>
    /// <param name="writeFolder">writes the random folder (family, size, directory) in another process, so this one's
    /// resident memory measures loading alone (an allocator keeps what initialisation freed)</param>
    /// <param name="referenceScript">tests/reference/causal_lm_reference.py, or null to skip the reference</param>
    public static void Run(string size, bool quick, string folderCache, Action<string, string, string> writeFolder, string? referenceScript, IAnsiConsole console)
    {
        Model.TorchRuntime.EnsureLoaded();
        int threads = get_num_threads();
        console.MarkupLine($"[bold]recontext bench checkpoints[/] --size {size}{(quick ? " --quick" : "")}: torch threads {threads}, {Environment.ProcessorCount} cores, fp32 compute");
        var folder = Path.Combine(folderCache, $"qwen3-{size}-bf16");
        if (!File.Exists(Path.Combine(folder, Checkpoint.ConfigFile)))
        {
            console.MarkupLine($"[grey]writing a random qwen3 {size} folder (bf16) to {Markup.Escape(folder)} ...[/]");
            writeFolder("qwen3", size, folder);
        }
        var info = ModelFolder.Read(folder);

        // Load: wall time and the growth of the resident set.
        GC.Collect();
        long rssBefore = ResidentBytes();
        var watch = Stopwatch.StartNew();
        using var model = Checkpoint.Load(folder);
        double loadSeconds = watch.Elapsed.TotalSeconds;
        model.eval();
        long rssAfter = ResidentBytes();
        var facts = new Table().Title($"qwen3 {size}: {info.Parameters / 1e6:F0}M parameters").AddColumns("measure", "value");
        facts.AddRow("file size (bf16)", $"{info.FileBytes / 1e6:F0} MB");
        facts.AddRow("load time", $"{loadSeconds:F2} s");
        facts.AddRow("resident memory added by loading", $"{(rssAfter - rssBefore) / 1e6:F0} MB ({(rssAfter - rssBefore) / (double)info.FileBytes:F2}× the bf16 file; weights are fp32 in memory)");
        console.Write(facts);

        // Generation with the KV cache.
        var random = new Random(3);
        int promptLength = 32, newTokens = quick ? 8 : 32;
        var tokenizer = Prompts.ModelText.For(folder).Tokenizer;
        var genTable = new Table().Title($"generation (prompt {promptLength} tokens, {newTokens} new, KV cache, temperature 1)").AddColumns("batch", "tokens/s", "s");
        foreach (int batch in new[] { 1, 8 })
        {
            var prompts = Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, promptLength).Select(_ => random.Next(0, 151643)).ToArray()).ToArray();
            var generator = new TextGenerator(model, tokenizer);
            var options = new SamplingOptions { MaxNewTokens = newTokens, Temperature = 1.0, Seed = 1 };
            double seconds = Stopwatches.BestOf(quick ? 0 : 1, quick ? 1 : 2, () => generator.Generate(prompts, options));
            genTable.AddRow($"{batch}", $"{batch * newTokens / seconds:F1}", $"{seconds:F2}");
        }
        console.Write(genTable);

        // Scoring: one sequence's forward pass, ours and the reference's.
        int scoringLength = quick ? 64 : 256, repeats = quick ? 2 : 3;
        var ids = Enumerable.Range(0, scoringLength).Select(_ => (long)random.Next(0, 151643)).ToArray();
        double ours = Stopwatches.BestOf(1, repeats, () =>
        {
            using var noGrad = no_grad();
            using var input = tensor(ids).unsqueeze(0);
            using var logits = model.Forward(input);
        });
        var scoring = new Table().Title($"scoring: forward pass over one sequence of {scoringLength} tokens, {threads} thread(s), best of {repeats}")
            .AddColumns("implementation", "tokens/s", "s");
        scoring.AddRow("Recontext (TorchSharp, libtorch 2.10)", $"{scoringLength / ours:F0}", $"{ours:F3}");
        var (reference, blas) = referenceScript is null ? (null, null) : ReferenceSeconds(referenceScript, folder, ids, repeats, threads, console);
        if (reference is double r) scoring.AddRow($"PyTorch reference (python3-torch 1.13, BLAS {blas})", $"{scoringLength / r:F0}", $"{r:F3}");
        console.Write(scoring);

        // One LoRA GRPO step: 2 prompts × 4 samples, prompt 32 and completion 32 tokens, rank 16, KL to the base; the
        // same step backpropagated one decoder layer at a time beside it.
        var steps = new Table().Title("LoRA GRPO step (rank 16 on all projections, 8 samples × 64 tokens, KL to the base)")
            .AddColumns("backward", "s", "peak memory added");
        var measured = new Dictionary<bool, (double Seconds, long? Peak)>();
        // Checkpointed first, both measured from one baseline: the smaller step runs before the allocator holds what the
        // larger freed (measured the other way round, the checkpointed step fit in what the whole graph left: 0 MB).
        long? baseline = PeakMemory.Resident();
        foreach (bool checkpointing in new[] { true, false })
        {
            model.GradientCheckpointing = checkpointing;
            measured[checkpointing] = LoraGrpoStep(model, quick, new Random(5), baseline);
            var (seconds, peak) = measured[checkpointing];
            steps.AddRow(checkpointing ? "gradientCheckpointing (layer by layer)" : "whole graph", $"{seconds:F2}", peak is long p ? $"{p / 1e6:F0} MB" : "n/a");
        }
        model.GradientCheckpointing = false;
        console.Write(steps);
        if (measured[false].Peak is long whole && measured[true].Peak is long layered && layered > 0)
            console.WriteLine($"gradient checkpointing: {whole / (double)layered:F2}x less peak memory for {measured[true].Seconds / measured[false].Seconds:F2}x the step time");
        if (reference is double referenceSeconds)
        {
            // Debian's python3-torch is built on the generic reference BLAS (BLAS_INFO=generic), so most of this ratio is
            // BLAS against libtorch's MKL-backed kernels, not the model code: read it as "not slower", nothing finer.
            if (blas == "generic") console.MarkupLine("[grey]the reference's torch uses the generic BLAS: the ratio mostly compares BLAS libraries[/]");
            console.WriteLine($"scoring speed vs the PyTorch reference: {referenceSeconds / ours:F2}x");
        }
    }

    static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <returns>the best step time, and the peak resident memory the steps added (<see cref="PeakMemory"/>)</returns>
    static (double Seconds, long? Peak) LoraGrpoStep(CausalLm model, bool quick, Random random, long? baseline)
    {
        using var adapters = LoraAdapters.Attach(model, new LoraConfig { Rank = 16, Alpha = 32 }, seed: 1);
        using var reference = ReferencePolicy.BaseOf(model, adapters);
        using var trainer = new GrpoTrainer(model, reference, new GrpoOptions { Beta = 0.04 }, new OptimizerOptions { LearningRate = 1e-4, WeightDecay = 0 },
            paddingId: 151643, adapters.Parameters);
        var samples = Enumerable.Range(0, 8).Select(i =>
        {
            int[] prompt = Enumerable.Range(0, 32).Select(_ => random.Next(0, 151643)).ToArray();
            int[] completion = Enumerable.Range(0, 32).Select(_ => random.Next(0, 151643)).ToArray();
            return new TrainingSample
            {
                TaskId = $"t{i / 4}", Group = i / 4, GenerationPromptIds = prompt, TrainingPromptIds = prompt, CompletionIds = completion,
                GenerationLogProbs = completion.Select(_ => -11.9f).ToArray(), LossMask = completion.Select(_ => 1f).ToArray(), Reward = i % 2,
                GenerationContext = "neutral", TrainingContext = "neutral",
            };
        }).ToList();
        double seconds = 0;
        var peak = PeakMemory.Growth(baseline, () => seconds = Stopwatches.BestOf(0, quick ? 1 : 2, () => trainer.Update(samples, groupSize: 4)));
        model.eval();
        return (seconds, peak);
    }

    static (double? Seconds, string? Blas) ReferenceSeconds(string script, string folder, long[] ids, int repeats, int threads, IAnsiConsole console)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python))
        {
            console.MarkupLine("[yellow]no /usr/bin/python3: the reference is skipped (apt-get install python3-torch python3-numpy)[/]");
            return (null, null);
        }
        var output = Path.Combine(Path.GetTempPath(), $"recontext-bench-reference-{Guid.NewGuid():N}.safetensors");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, folder, "--ids", string.Join(",", ids), "--rows", "1", "--time", $"{repeats}", "--threads", $"{threads}", "--out", output })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        File.Delete(output);
        if (process.ExitCode != 0)
        {
            console.MarkupLine($"[yellow]the reference failed: {Markup.Escape(stderr.Result.Trim())}[/]");
            return (null, null);
        }
        using var summary = JsonDocument.Parse(stdout.Result);
        return (summary.RootElement.GetProperty("seconds").GetDouble(), summary.RootElement.GetProperty("blas").GetString());
    }
}
