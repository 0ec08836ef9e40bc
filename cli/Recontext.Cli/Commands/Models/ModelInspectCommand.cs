using System.CommandLine;
using Recontext.Model.Checkpoints;
using Spectre.Console;

namespace Recontext.Cli.Commands.Models;

/// <summary>`recontext model inspect DIR`: a model folder's family, shapes, parameters, storage and chat format, and
/// the memory a training step needs with full fine-tuning and with LoRA (an estimate, <see cref="TrainingMemory"/>).</summary>
public static class ModelInspectCommand
{
    public static Command Build()
    {
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "a model folder in Hugging Face layout (config.json, model.safetensors or shards)" };
        directory.AcceptExistingOnly();
        var batch = CliOptions.Int("--batch", "sequences in a training step (default 8)");
        var sequence = CliOptions.Int("--sequence", "tokens a sequence (prompt and completion; default 512)");
        var rank = CliOptions.Int("--lora-rank", "LoRA rank for the estimate (default 16)");
        var inspect = new Command("inspect", "describe a model folder: family, layers, heads, vocabulary, parameters, dtype, chat format, and the " +
                                             "memory a training step needs (full fine-tuning and LoRA)") { directory, batch, sequence, rank };
        inspect.SetAction(parsed =>
        {
            ModelFolder folder;
            try
            {
                folder = ModelFolder.Read(parsed.GetValue(directory)!.FullName);
            }
            catch (Exception e) when (e is FileNotFoundException or ArgumentException or InvalidDataException)
            {
                throw new CliUsageException(e.Message);
            }
            Print(folder, parsed.GetValue(batch) ?? 8, parsed.GetValue(sequence) ?? 512, parsed.GetValue(rank) ?? 16);
            return 0;
        });
        return inspect;
    }

    public static void Print(ModelFolder folder, int batch, int sequence, int rank)
    {
        var c = folder.Config;
        var facts = new Table().HideHeaders().AddColumns("", "").Title(Markup.Escape(folder.Directory));
        void Row(string name, string value) => facts.AddRow(name, Markup.Escape(value));
        Row("family", $"{c.ModelType} ({Model.TransformerConfig.Architectures[c.ModelType]})");
        Row("layers", $"{c.NumHiddenLayers}");
        Row("hidden size", $"{c.HiddenSize} (MLP {c.IntermediateSize})");
        Row("attention heads", $"{c.NumAttentionHeads} query, {c.NumKeyValueHeads} key/value, head dim {c.HeadDim}{(c.UseQkNorm ? ", q/k norm" : "")}{(c.AttentionBias ? ", q/k/v bias" : "")}");
        Row("vocabulary", $"{c.VocabSize}{(c.TieWordEmbeddings ? " (output head tied to the embedding)" : "")}");
        Row("context", $"{c.MaxPositionEmbeddings} positions, rope θ {c.RopeTheta:G}" +
                       (c.RopeScaling is { Type: "llama3" } s ? $", Llama 3 rope scaling ×{s.Factor:G} from {s.OriginalMaxPositionEmbeddings}" : ""));
        Row("parameters", $"{folder.Parameters:N0} in {folder.Tensors.Count} tensors");
        Row("storage", $"{string.Join(", ", folder.Dtypes)}, {Bytes(folder.FileBytes)} on disk");
        Row("chat format", folder.ChatFormat);
        Row("tokenizer", folder.HasTokenizer ? "tokenizer.json" : "none (generate and training need tokenizer.json)");
        AnsiConsole.Write(facts);

        var memory = new Table().Title($"one training step, batch {batch} × {sequence} tokens, fp32 weights and activations unless marked (estimate)")
            .AddColumns("", "weights", "gradients", "AdamW moments", "activations", "total");
        foreach (bool checkpointing in new[] { false, true })
        {
            string how = checkpointing ? ", gradientCheckpointing" : "";
            var full = TrainingMemory.FullFineTuning(c, folder.Parameters, batch, sequence, checkpointing);
            var lora = TrainingMemory.Lora(c, folder.Parameters, batch, sequence, rank, TrainingMemory.ComputeBytes, checkpointing);
            memory.AddRow($"full fine-tuning{how}", Bytes(full.WeightBytes), Bytes(full.GradientBytes), Bytes(full.OptimizerBytes), Bytes(full.ActivationBytes), Bytes(full.Total));
            memory.AddRow($"LoRA rank {rank} ({TrainingMemory.LoraParameters(c, rank):N0} trained){how}", Bytes(lora.WeightBytes), Bytes(lora.GradientBytes),
                Bytes(lora.OptimizerBytes), Bytes(lora.ActivationBytes), Bytes(lora.Total));
            var half = TrainingMemory.Lora(c, folder.Parameters, batch, sequence, rank, computeBytes: 2, checkpointing);
            memory.AddRow($"LoRA rank {rank}, computeDtype bfloat16{how}", Bytes(half.WeightBytes), Bytes(half.GradientBytes),
                Bytes(half.OptimizerBytes), Bytes(half.ActivationBytes), Bytes(half.Total));
        }
        AnsiConsole.Write(memory);
    }

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };
}
