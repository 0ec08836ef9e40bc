using System.CommandLine;
using System.Text.Json;
using Recontext.Contracts;
using Recontext.Model;
using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Prompts.Tokenization;

namespace Recontext.Cli.Commands;

/// <summary>
/// `recontext generate --model DIR --prompt TEXT`: loads a Hugging Face model folder, lays the prompt out in the
/// family's chat format (or not, with --raw) and streams the answer as it is sampled, with the KV cache.
/// </summary>
public sealed class GenerateCommand : ICliCommand
{
    // Generated text is printed to a terminal or a pipe, not into HTML: keep '<', '>' and non-ASCII readable.
    static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public Command Build()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "a model folder in Hugging Face layout (config.json, weights, tokenizer.json)", Required = true };
        model.AcceptExistingOnly();
        var prompt = new Option<string>("--prompt") { Description = "the user's message (with --raw: the text to continue)", Required = true };
        var system = CliOptions.Text("--system", "a system message before the prompt");
        var raw = CliOptions.Flag("--raw", "continue the prompt as it is, without the chat format");
        var noThinking = CliOptions.Flag("--no-thinking", "Qwen3: answer without reasoning first (an empty <think> block, as enable_thinking=False)");
        var temperature = new Option<double?>("--temperature") { Description = "softmax temperature; 0 is greedy (default 0.7)" };
        var topP = new Option<double?>("--top-p") { Description = "nucleus sampling threshold in (0, 1] (default 1: off)" };
        var maxNew = CliOptions.Int("--max-new-tokens", "most tokens to generate (default 256)");
        var seed = CliOptions.Int("--seed", "seed of the sampler (default 0)", min: 0);
        var ids = CliOptions.Flag("--ids", "print the prompt and generated token ids (and the text) as one JSON line instead of streaming");
        var device = CliOptions.Text("--device", "auto, cpu, cuda or cuda:N (default auto)");
        var dtype = CliOptions.Text("--dtype", "the dtype the weights compute in: auto (bfloat16 on a GPU, float32 on the CPU), float32, bfloat16 or float16");
        var command = new Command("generate", "sample an answer from a model folder, streamed as it is generated")
        {
            model, prompt, system, raw, noThinking, temperature, topP, maxNew, seed, ids, device, dtype,
        };
        command.SetAction(parsed =>
        {
            var options = new SamplingOptions
            {
                Temperature = parsed.GetValue(temperature) ?? 0.7,
                TopP = parsed.GetValue(topP) ?? 1.0,
                MaxNewTokens = parsed.GetValue(maxNew) ?? 256,
                Seed = parsed.GetValue(seed) ?? 0,
            };
            PretrainedModel pretrained;
            try
            {
                options.Validate();
                var where = DeviceSelection.Resolve(parsed.GetValue(device) ?? "auto");
                pretrained = PretrainedModel.Load(parsed.GetValue(model)!.FullName, where, thinking: !parsed.GetValue(noThinking),
                    ComputeDtype.Resolve(ComputeDtype.Validate(parsed.GetValue(dtype) ?? "auto", "--dtype"), where));
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidDataException or CheckpointMismatchException)
            {
                throw new CliUsageException(e.Message);
            }
            using (pretrained)
            {
                var text = parsed.GetValue(prompt)!;
                List<ChatMessage> messages = parsed.GetValue(system) is { } s ? [ChatMessage.System(s), ChatMessage.User(text)] : [ChatMessage.User(text)];
                var promptIds = parsed.GetValue(raw) ? pretrained.Text.EncodeRaw(text) : pretrained.Text.EncodePrompt(messages);
                if (promptIds.Length == 0) throw new CliUsageException("--prompt encodes to no tokens");
                if (promptIds.Length + options.MaxNewTokens > pretrained.Model.Config.MaxPositionEmbeddings)
                    throw new CliUsageException($"the prompt ({promptIds.Length} tokens) plus --max-new-tokens {options.MaxNewTokens} exceed the model's " +
                                                $"{pretrained.Model.Config.MaxPositionEmbeddings} positions");
                options = options with { StopTokenIds = pretrained.Text.StopTokenIds };
                var generator = new TextGenerator(pretrained.Model, pretrained.Tokenizer);
                if (parsed.GetValue(ids))
                {
                    var result = generator.Generate([promptIds], options)[0];
                    Console.WriteLine(JsonSerializer.Serialize(new
                    {
                        prompt_ids = promptIds, generated_ids = result.TokenIds, text = result.Text, finish_reason = result.FinishReason.ToString(),
                    }, Json));
                    return 0;
                }
                var decoder = new StreamingDecoder(pretrained.Tokenizer);
                var stops = options.StopTokenIds.ToHashSet();
                generator.Generate([promptIds], options, onToken: (_, id) =>
                {
                    if (stops.Contains(id)) return;   // the end-of-turn token is not part of the answer
                    Console.Write(decoder.Push(id));
                    Console.Out.Flush();
                });
                Console.WriteLine(decoder.Flush());
            }
            return 0;
        });
        return command;
    }
}
