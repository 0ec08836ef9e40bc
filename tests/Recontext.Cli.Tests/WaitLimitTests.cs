using Recontext.TestSupport;

namespace Recontext.Cli.Tests;

/// <summary>A run whose judge is left to a service that never comes fails at the wait limit with one line naming the
/// role (a TimeoutException's stack trace and exit 134 before).</summary>
public sealed class WaitLimitTests : IDisposable
{
    readonly RabbitMqTestBroker broker = new();
    readonly string root = Directory.CreateTempSubdirectory("recontext-cli-wait-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void ARunWaitingForAnAbsentRoleFailsInOneLine()
    {
        var model = Path.Combine(root, "qwen3");
        var init = RecontextCli.Run("model", "init", "--family", "qwen3", "--size", "tiny", "--out", model, "--dtype", "fp32", "--seed", "1");
        Assert.True(init.ExitCode == 0, init.Error);
        var experiment = Path.Combine(root, "waiting.yaml");
        File.WriteAllText(experiment, $"name: waiting\nenvironment: toy-code\nmodel: {{ checkpoint: {model} }}\nsteps: 1\npromptsPerStep: 1\nsamplesPerPrompt: 2\n" +
                                      "sampling: { maxNewTokens: 4 }\neval: { every: 1, tasks: 1 }\n");
        var result = RecontextCli.Run("run", experiment, "--out", Path.Combine(root, "out"), "--bus", broker.Url, "--remote", "judge", "--wait-limit", "3");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no answer from the judge", result.Error);
        Assert.Contains("the wait limit", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
