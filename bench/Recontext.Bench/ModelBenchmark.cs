using Recontext.Model.Modules;
using Spectre.Console;
using static TorchSharp.torch;

namespace Recontext.Bench;

/// <summary>
/// `recontext bench model`: matmul peak, training throughput as a fraction of it, and generation with and
/// without the KV cache, printed as tables. The last two lines are machine-readable summaries.
/// </summary>
public static class ModelBenchmark
{
    public static void Run(bool quick, IAnsiConsole console)
    {
        Recontext.Model.TorchRuntime.EnsureLoaded();
        console.MarkupLine($"[bold]recontext bench model[/]{(quick ? " --quick" : "")}: torch threads {get_num_threads()}, {Environment.ProcessorCount} cores, fp32 CPU");

        var peaks = MatmulPeak.Measure(quick);
        double peak = peaks.Max(p => p.GflopsPerSecond);
        var peakTable = new Table().Title("matmul peak (torch.mm, fp32)").AddColumns("n", "GFLOP/s");
        foreach (var p in peaks) peakTable.AddRow($"{p.Size}", $"{p.GflopsPerSecond:F1}");
        console.Write(peakTable);

        var training = new List<TrainingThroughput.Result>();
        foreach (var d in new[] { 128, 256, 512 })
        {
            console.MarkupLine($"[grey]training d_model {d} ...[/]");
            training.Add(TrainingThroughput.Measure(d, batchSize: quick ? 8 : 16, sequenceLength: 256, steps: quick ? 2 : 4));
        }
        var trainTable = new Table().Title("training (AdamW step, batch × 256 tokens, 4 layers, byte vocab)")
            .AddColumns("d_model", "params", "batch", "tokens/s", "GFLOP/s", "% of matmul peak");
        foreach (var t in training)
            trainTable.AddRow($"{t.DModel}", $"{t.Parameters / 1e6:F2}M", $"{t.BatchSize}", $"{t.TokensPerSecond:F0}", $"{t.GflopsPerSecond:F1}", $"{100 * t.GflopsPerSecond / peak:F1}");
        console.Write(trainTable);

        var generation = new List<GenerationThroughput.Result>();
        using (var model = CausalLm.Create(TrainingThroughput.ConfigFor(128), seed: 1))
        {
            foreach (var batch in quick ? new[] { 1, 16 } : [1, 16, 64])
                foreach (var tokens in new[] { 32, 128 })
                {
                    console.MarkupLine($"[grey]generation batch {batch}, {tokens} new tokens ...[/]");
                    generation.Add(GenerationThroughput.Measure(model, batch, tokens));
                }
        }
        var genTable = new Table().Title($"generation (d_model 128, 4 layers, prompt {GenerationThroughput.PromptLength} tokens)")
            .AddColumns("batch", "new tokens", "KV cache tok/s", "recompute tok/s", "speedup");
        foreach (var g in generation)
            genTable.AddRow($"{g.BatchSize}", $"{g.NewTokens}", $"{g.CachedTokensPerSecond:F0}", $"{g.RecomputeTokensPerSecond:F0}", $"{g.Speedup:F1}x");
        console.Write(genTable);

        console.MarkupLine("[grey]prompt sharing ...[/]");
        var sharing = PromptSharingThroughput.Measure(prompts: 12, samples: 6, repeats: quick ? 2 : 4);
        var shareTable = new Table().Title($"GRPO batch: 12 prompts × 6 samples (prompt {PromptSharingThroughput.PromptLength} tokens, completions 40–100; organism base size)")
            .AddColumns("work", "each row its prompt (s)", "prompt once per group (s)", "speedup");
        foreach (var r in sharing) shareTable.AddRow(r.Work, $"{r.SecondsPerRow:F3}", $"{r.SecondsShared:F3}", $"{r.Speedup:F2}x");
        console.Write(shareTable);

        console.MarkupLine("[grey]length bucketing ...[/]");
        var buckets = MicroBatchBucketing.Measure(repeats: quick ? 2 : 4);
        var bucketTable = new Table().Title($"micro-batches of {MicroBatchBucketing.MicroBatch}: {MicroBatchBucketing.Prompts} prompts × {MicroBatchBucketing.Samples} samples, " +
                                            "completions 30–90 tokens with one in eight 300–500 (training step, organism base size)")
            .AddColumns("micro-batches", "token positions (real + padding)", "s", "speedup");
        bucketTable.AddRow("in order (group after group)", $"{buckets.InOrderTokens} ({buckets.RealTokens} real)", $"{buckets.SecondsInOrder:F3}", "1.00x");
        bucketTable.AddRow($"planned ({buckets.Order})", $"{buckets.PlannedTokens}", $"{buckets.SecondsPlanned:F3}", $"{buckets.Speedup:F2}x");
        console.Write(bucketTable);

        var at128 = generation.Where(g => g.NewTokens == 128).ToList();
        double speedup = Math.Exp(at128.Average(g => Math.Log(g.Speedup)));
        double fraction = 100 * training.Single(t => t.DModel == 512).GflopsPerSecond / peak;
        console.WriteLine($"(speedup: geometric mean over batch sizes {string.Join(", ", at128.Select(g => g.BatchSize))}; peak {peak:F1} GFLOP/s)");
        console.WriteLine($"kv-cache speedup at 128 new tokens: {speedup:F1}x");
        console.WriteLine($"training fraction of matmul peak (d_model 512): {fraction:F1}%");
    }
}
