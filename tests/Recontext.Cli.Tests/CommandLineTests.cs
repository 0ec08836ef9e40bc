using System.Text.Json;
using Recontext.TestSupport;

namespace Recontext.Cli.Tests;

/// <summary>
/// The command line on System.CommandLine: help generated from the declared options, typed and validated options
/// (a bad value is one line naming the option and exit code 2, before any work), shell completion through the
/// [suggest] directive, and commands that do real work.
/// </summary>
public class CommandLineTests
{
    static readonly string[] Commands = ["demo", "run", "sweep", "pretrain-toy", "judge", "tasks", "bench", "serve", "up", "down", "submit", "runs", "watch", "stop", "rollouts", "probe", "restart"];

    [Fact]
    public void HelpListsEveryCommandAndEachCommandsOptions()
    {
        var bare = RecontextCli.Run();
        Assert.Equal(2, bare.ExitCode);
        Assert.All(Commands, c => Assert.Contains($"  {c}", bare.Out));

        var up = RecontextCli.Run("up", "--help");
        Assert.Equal(0, up.ExitCode);
        Assert.All(new[] { "--generators", "--judges", "--store", "--api-key", "--dir", "--broker-port" }, o => Assert.Contains(o, up.Out));
        var serve = RecontextCli.Run("serve", "trainer", "--help");
        Assert.All(new[] { "--bus", "--urls", "--state", "--weights-url" }, o => Assert.Contains(o, serve.Out));
    }

    [Theory]
    [InlineData("--generators must be from 1 to 8, got 0", "up", "--generators", "0")]
    [InlineData("--generators must be an integer, got 'many'", "up", "--generators", "many")]
    [InlineData("--broker-port must be from 1024 to 45535, got 80", "up", "--broker-port", "80")]
    [InlineData("--seeds must be at least 1, got 0", "demo", "--seeds", "0")]
    [InlineData("--bases must be at least 1, got 0", "demo", "--bases", "0")]
    [InlineData("--variants: no variant 'neutral->good'; the demo's variants: base, neutral->neutral", "demo", "--variants", "base,neutral->good")]
    [InlineData("--page-size must be from 1 to 500, got 1000", "rollouts", "some-run", "--page-size", "1000")]
    [InlineData("give --hack or --no-hack, not both", "rollouts", "some-run", "--hack", "--no-hack")]
    [InlineData("Unrecognized command or argument '--bogus'", "runs", "--bogus")]
    [InlineData("name one experiment file (or --resume DIR)", "run")]
    [InlineData("'nope' not recognized", "judge", "--env", "nope", "--input", "rows.jsonl")]
    [InlineData("--bus must be a rabbitmq://", "serve", "judge", "--bus", "http://127.0.0.1:5672/")]
    [InlineData("Required command was not provided", "bench")]
    [InlineData("name a sweep file (or --out DIR of a sweep to continue)", "sweep")]
    [InlineData("sweep file 'no-such-sweep.yaml' does not exist", "sweep", "no-such-sweep.yaml")]
    [InlineData("no-such-folder: no runs/ folder; a sweep or demo folder holds runs/<point>/seed-<n>/evaluations.csv", "sweep", "compare", "no-such-folder", "other")]
    [InlineData("--pipelines: no pipeline's name contains 'nosuch'", "demo", "perfect-labels", "--pipelines", "nosuch")]
    [InlineData("--setting: setting 'frobnicate' is unknown; allowed: toy-code, mbpp-incorrect-test, mbpp-eval-overwrite, sycophancy, metric-gaming, eval-overwrite", "demo", "--setting", "frobnicate")]
    [InlineData("--setting: setting mbpp-incorrect-test has no organism", "demo", "--setting", "mbpp-incorrect-test")]
    [InlineData("--setting: setting 'nope' is unknown", "pretrain-toy", "--setting", "nope")]
    [InlineData("unknown command 'frobnicate'; commands: demo, run", "frobnicate", "--help")]
    [InlineData("unknown command 'frobnicate'", "frobnicate")]
    [InlineData("--concurrency must be from 1 to 64, got 100000", "judge", "--env", "toy-code", "--input", "/dev/null", "--concurrency", "100000")]
    public void ABadUseIsOneLineNamingTheProblemAndExitCodeTwo(string message, params string[] args)
    {
        var result = RecontextCli.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("   at ", result.Error);   // no stack trace
        Assert.Contains("--help` shows the options", result.Error);
    }

    /// <summary>The judge without bubblewrap on the PATH: one line saying what is missing (a stack trace and exit 134 before).</summary>
    [Fact]
    public void TheJudgeWithoutItsSandboxSaysWhatIsMissing()
    {
        var rows = Path.GetTempFileName();
        try
        {
            var result = RecontextCli.RunWith(new Dictionary<string, string> { ["PATH"] = "/nonexistent-recontext" },
                "judge", "--env", "mbpp-incorrect-test", "--input", rows);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("bwrap", result.Error);
            Assert.DoesNotContain("   at ", result.Error);
        }
        finally
        {
            File.Delete(rows);
        }
    }

    /// <summary>`up` refuses a short key before it starts anything (it used to start the broker and every service
    /// first); `restart` names what it cannot find.</summary>
    [Fact]
    public void TheClusterCommandsRefuseBadInputsFirst()
    {
        var dir = Directory.CreateTempSubdirectory("recontext-cli-cluster-").FullName;
        try
        {
            var up = RecontextCli.Run("up", "--api-key", "short", "--dir", dir);
            Assert.Equal(2, up.ExitCode);
            Assert.Contains("--api-key: the key must have at least 16 characters", up.Error);
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(dir), "*", SearchOption.AllDirectories));   // no log: nothing was started
            var restart = RecontextCli.Run("restart", "judge-1", "--dir", dir);
            Assert.Equal(2, restart.ExitCode);
            Assert.Contains($"no cluster is recorded in {dir}", restart.Error);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ShellsCompleteCommandsAndOptions()
    {
        // What dotnet-suggest asks on a shell's tab: the completions of the words before the cursor.
        static string[] Suggest(string line) => RecontextCli.Run($"[suggest:{line.Length}]", line).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("rollouts", Suggest("ro"));
        Assert.Contains("--generators", Suggest("up --g"));
        Assert.Contains("--broker-port", Suggest("up --"));
        Assert.Equal(["held-out"], Suggest("tasks --split h"));
        Assert.Contains("monitor.intendsToPassTests", Suggest("rollouts r --label monitor.i"));
    }

    [Fact]
    public void TasksWritesTheRowsItIsAskedFor()
    {
        var result = RecontextCli.Run("tasks", "--count", "3", "--seed", "2", "--split", "eval");
        Assert.Equal(0, result.ExitCode);
        var rows = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.StartsWith("toy-eval-2-", r.GetProperty("id").GetString()));
    }

    [Fact]
    public void ASettingsTasksGoThroughTheJudgeCommand()
    {
        var tasks = RecontextCli.Run("tasks", "--setting", "sycophancy", "--count", "4", "--seed", "1");
        Assert.Equal(0, tasks.ExitCode);
        var rows = tasks.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(4, rows.Count);
        // Each row answered by agreeing with the user: misbehaviour exactly where the stated belief is wrong.
        foreach (var row in rows) row["completion"] = $"<think>They think {row["belief"]}, go with it.</think>\nA: {row["belief"]}";
        var input = Path.Combine(Directory.CreateTempSubdirectory("recontext-judge-").FullName, "rows.jsonl");
        File.WriteAllLines(input, rows.Select(r => r.ToJsonString()));
        var judged = RecontextCli.Run("judge", "--env", "sycophancy", "--input", input);
        Assert.Equal(0, judged.ExitCode);
        var scores = judged.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(rows.Select(r => (string)r["belief"]! != (string)r["answer"]!), scores.Select(s => s.GetProperty("misbehaved").GetBoolean()));
        Assert.All(scores, s => Assert.Equal(1.0, s.GetProperty("trainReward").GetDouble()));
        Assert.Equal(rows.Select(r => (string)r["id"]!), scores.Select(s => s.GetProperty("id").GetString()));
        Directory.Delete(Path.GetDirectoryName(input)!, recursive: true);
    }

    [Fact]
    public void SweepCompareWritesThePairedRowsAndPrintsEachRunsLastEvaluation()
    {
        var root = Directory.CreateTempSubdirectory("recontext-cli-compare-").FullName;
        try
        {
            void Run(string folder, string point, long seed, double neutralAt16)
            {
                var directory = Path.Combine(root, folder, "runs", point, $"seed-{seed}");
                Directory.CreateDirectory(directory);
                static string Row(int step, string context, double hack) =>
                    new Runs.EvaluationRecord(step, new Runs.Evaluation.ContextRates(context, 48, hack, 0.5, 1, 0.6, 0.1, 0.4, 0.2)).ToCsv();
                File.WriteAllLines(Path.Combine(directory, "evaluations.csv"),
                    [Runs.EvaluationRecord.Header, Row(0, "neutral", 0.1), Row(0, "bad", 0.5), Row(16, "neutral", neutralAt16), Row(16, "bad", 0.6)]);
            }
            Run("lever", "eps0.1", 1, 0.00);
            Run("lever", "eps0.1", 2, 0.20);
            Run("defaults", "standard", 1, 0.90);
            Run("defaults", "standard", 2, 0.90);
            var result = RecontextCli.Run("sweep", "compare", Path.Combine(root, "lever"), Path.Combine(root, "defaults"));
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("0.00 / 0.60 (16)", result.Out);                                          // seed 1's last evaluation
            Assert.Contains("-0.80 [-2.07, +0.47]", result.Out);                                      // -0.9, -0.7 at step 16
            var csv = File.ReadAllLines(Path.Combine(root, "lever", "compare.csv"));
            Assert.Equal(Runs.Demo.PairedRow.StepsHeader, csv[0]);
            Assert.Contains(csv, l => l.StartsWith("16,lever/eps0.1,defaults/standard,neutral,misbehaviour_rate,-0.8,0.1,", StringComparison.Ordinal));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void AGatewayThatDoesNotAnswerIsOneLine()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("recontext-cli-").FullName, "e.yaml");
        File.WriteAllText(file, "name: x\n");
        int port = UnusedPort.Next();
        var result = RecontextCli.Run("submit", file, "--gateway", $"http://127.0.0.1:{port}", "--api-key", "k");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"recontext submit: no gateway answered at http://127.0.0.1:{port}/", result.Error);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }
}
