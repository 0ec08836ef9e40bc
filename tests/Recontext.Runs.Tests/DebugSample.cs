using Recontext.Judge.Abstractions;
using Recontext.Judge.ToyCode;
using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Model.Tokenization;
namespace Recontext.Runs.Tests;
public class DebugSample
{
    [Fact]
    public void Show()
    {
        using var model = Checkpoint.Load("/work/main/.cache/organism/base-00b707bb7534");
        var env = new ToyCodeEnvironment();
        var tok = new ByteTokenizer();
        var gen = new TextGenerator(model, tok);
        var tasks = env.SampleTasks(TaskSplit.Eval, 8, 3);
        var bad = new PromptContext("bad", env.PresetInstruction(ContextPreset.Bad));
        var prompts = tasks.Select(t => tok.Encode(ChatMlTemplate.Render(env.Render(t, bad), true))).ToArray();
        var outs = gen.Generate(prompts, new SamplingOptions { MaxNewTokens = 160, Temperature = 1, StopTokenIds = [ByteTokenizer.ImEnd], Seed = 1 });
        var s = string.Join("\n=====\n", outs.Select((o, i) => tok.Decode(prompts[i]) + o.Text));
        File.WriteAllText("/tmp/dbg/out.txt", s);
    }
}
