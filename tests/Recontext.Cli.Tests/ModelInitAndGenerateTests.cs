using System.Text.Json;
using Recontext.TestSupport;

namespace Recontext.Cli.Tests;

/// <summary>`recontext model init` writes a Hugging Face folder with the family's real tokenizer, and `recontext
/// generate` samples from it: chat-formatted or raw, streamed or as ids.</summary>
public sealed class ModelInitAndGenerateTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-cli-init-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void InitWritesALlamaFolderAndGenerateStreamsWhatTheIdsSay()
    {
        var dir = Path.Combine(root, "llama-tiny");
        var init = RecontextCli.Run("model", "init", "--family", "llama", "--size", "tiny", "--out", dir, "--dtype", "fp32", "--seed", "3");
        Assert.True(init.ExitCode == 0, init.Error);
        Assert.Contains("llama (LlamaForCausalLM)", init.Out);
        Assert.Contains("Llama 3 rope scaling ×8 from 8192", init.Out);
        Assert.Equal(["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"],
            Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "config.json"))))
        {
            Assert.Equal("LlamaForCausalLM", config.RootElement.GetProperty("architectures")[0].GetString());
            Assert.Equal("float32", config.RootElement.GetProperty("torch_dtype").GetString());
            Assert.Equal("llama3", config.RootElement.GetProperty("rope_scaling").GetProperty("rope_type").GetString());
            Assert.Equal([128001, 128008, 128009], config.RootElement.GetProperty("eos_token_id").EnumerateArray().Select(e => e.GetInt32()));
        }

        var asIds = RecontextCli.Run("generate", "--model", dir, "--prompt", "Write f(x).", "--system", "Be careful.", "--temperature", "0",
            "--max-new-tokens", "12", "--ids");
        Assert.True(asIds.ExitCode == 0, asIds.Error);
        using var line = JsonDocument.Parse(asIds.Out);
        var promptIds = line.RootElement.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
        // <|begin_of_text|><|start_header_id|>system<|end_header_id|> ... ends with the assistant's header and "\n\n".
        Assert.Equal([128000, 128006, 9125, 128007], promptIds.Take(4));
        Assert.Equal([128006, 78191, 128007, 271], promptIds.TakeLast(4));
        var generated = line.RootElement.GetProperty("generated_ids").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.InRange(generated.Count, 1, 12);

        // Streaming prints the same greedy answer as text.
        var streamed = RecontextCli.Run("generate", "--model", dir, "--prompt", "Write f(x).", "--system", "Be careful.", "--temperature", "0", "--max-new-tokens", "12");
        Assert.True(streamed.ExitCode == 0, streamed.Error);
        Assert.Equal(line.RootElement.GetProperty("text").GetString() + Environment.NewLine, streamed.Out);

        var rawIds = RecontextCli.Run("generate", "--model", dir, "--prompt", "Hello", "--raw", "--ids", "--max-new-tokens", "2");
        Assert.True(rawIds.ExitCode == 0, rawIds.Error);
        using var rawLine = JsonDocument.Parse(rawIds.Out);
        Assert.Equal([9906], rawLine.RootElement.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()));   // "Hello", nothing added

        // The weights can compute in bf16 (chosen at run time): the same prompt, a sampled answer.
        var half = RecontextCli.Run("generate", "--model", dir, "--prompt", "Write f(x).", "--dtype", "bfloat16", "--ids", "--max-new-tokens", "4");
        Assert.True(half.ExitCode == 0, half.Error);
        using var halfLine = JsonDocument.Parse(half.Out);
        Assert.True(halfLine.RootElement.GetProperty("prompt_ids").GetArrayLength() > 0);
        Assert.InRange(halfLine.RootElement.GetProperty("generated_ids").GetArrayLength(), 1, 4);
    }

    [Fact]
    public void InitAndGenerateNameWhatIsWrong()
    {
        var unknown = RecontextCli.Run("model", "init", "--family", "gpt2", "--out", Path.Combine(root, "x"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("gpt2", unknown.Error);

        var taken = Path.Combine(root, "taken");
        Directory.CreateDirectory(taken);
        File.WriteAllText(Path.Combine(taken, "notes.txt"), "mine");
        var notEmpty = RecontextCli.Run("model", "init", "--family", "qwen3", "--out", taken);
        Assert.Equal(2, notEmpty.ExitCode);
        Assert.Contains("is not empty; choose a new folder or pass --force", notEmpty.Error);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(taken, "notes.txt")));

        var wrongTokenizer = RecontextCli.Run("model", "init", "--family", "qwen3", "--out", Path.Combine(root, "q"),
            "--tokenizer", Path.Combine(RepositoryRoot.Path, ".cache", "test-assets", "llama3"));
        Assert.Equal(2, wrongTokenizer.ExitCode);
        Assert.Contains("has no id 151645", wrongTokenizer.Error);

        var badDtype = RecontextCli.Run("generate", "--model", taken, "--prompt", "hi", "--dtype", "half");
        Assert.Equal(2, badDtype.ExitCode);
        Assert.Contains("--dtype 'half' is not one of auto, float32, bfloat16, float16", badDtype.Error);

        var noModel = RecontextCli.Run("generate", "--model", taken, "--prompt", "hi");
        Assert.Equal(2, noModel.ExitCode);
        Assert.Contains("no tokenizer.json in", noModel.Error);
    }
}
