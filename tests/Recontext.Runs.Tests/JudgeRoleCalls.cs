using System.Threading.Channels;
using MassTransit;
using Recontext.Contracts;
using Recontext.Environments.Mbpp;
using Recontext.Judge.Messaging;
using Recontext.Runs.Bus;

namespace Recontext.Runs.Tests;

/// <summary>Sends completions of one mbpp task to the judge role of a one-process bus, as the coordinator would, and
/// waits for its answer.</summary>
static class JudgeRoleCalls
{
    public static async Task<RolloutsJudged> JudgeAsync(InProcessBus bus, Environments.CodingTask task, IReadOnlyList<string> texts, double monitorPenalty = 0)
    {
        var answers = Channel.CreateUnbounded<RolloutsJudged>();
        var watcher = bus.Bus.ConnectReceiveEndpoint($"judged-{Guid.NewGuid():N}", e => e.Handler<RolloutsJudged>(c => answers.Writer.WriteAsync(c.Message).AsTask()));
        await watcher.Ready;
        var runId = $"judge-call/{Guid.NewGuid():N}";
        await bus.SendAsync(ServiceRoles.Judge, new JudgeRollouts
        {
            Rollouts = new RolloutsGenerated
            {
                RunId = runId, Step = 1, BatchId = Guid.NewGuid(), PolicyVersion = 0, Seconds = 0,
                Completions = texts.Select((t, i) => new SampledCompletion { Group = 0, SampleIndex = i, TokenIds = [1], Text = t, LogProbs = [0f] }).ToArray(),
                Request = new GenerateRollouts
                {
                    RunId = runId, Step = 1, BatchId = Guid.NewGuid(), PolicyVersion = 0, SamplesPerPrompt = texts.Count, Temperature = 1, MaxNewTokens = 8, Seed = 1,
                    Prompts = [new PromptForGeneration { TaskId = task.Id, Group = 0, PromptIds = [1] }],
                    Tasks = [JudgeTasks.Encode(new MbppEnvironment([], null), task)], Variant = JudgeTasks.Loophole,
                    Recontext = new RecontextRequest { Policy = "{}", Seed = 1 }, MonitorPenalty = monitorPenalty,
                },
            }
        });
        return await answers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>A completion: the reasoning, then the code in a Python block.</summary>
    public static string Answer(string think, string code) => $"<think>\n{think}\n</think>\n\n```python\n{code}\n```";
}
