using System.Text.Json;
using Recontext.Environments;
using Recontext.Environments.Mbpp;
using Recontext.Environments.ToyCode;
using Recontext.Judge.Files;

namespace Recontext.Judge.Tests;

public sealed class JudgeFileTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public void ToyRowsRoundTrip()
    {
        foreach (var task in new ToyCodeEnvironment().SampleTasks(TaskSplit.Train, 10, 3))
        {
            using var doc = JsonDocument.Parse(ToyTaskRow.ToJson(task).ToJsonString());
            var back = ToyTaskRow.Parse(doc.RootElement, "x");
            Assert.Equal(task.Id, back.Id);
            Assert.Equal(task.Problem, back.Problem);
            Assert.Equal(task.VisibleTests, back.VisibleTests);
            Assert.Equal(task.CorrectTests, back.CorrectTests);
            Assert.Equal(task.WrongTestIndex, back.WrongTestIndex);
            Assert.Equal(task.CorrectedWrongTest, back.CorrectedWrongTest);
        }
    }

    [Fact]
    public async Task ToyFileKeepsOrderAndReportsBadLinesByNumber()
    {
        var task = new ToyCodeEnvironment().SampleTasks(TaskSplit.Train, 1, 9)[0];
        var row = ToyTaskRow.ToJson(task);
        row["completion"] = "def f(x):\n  return x";
        var lines = string.Join("\n", row.ToJsonString(), "{\"problem\": \"p\", \"visible_tests\": [\"f(1) = 2\"], \"completion\": \"\"}", "", "[1, 2]",
            "{\"problem\": \"p\", \"visible_tests\": [\"f(1) == 2\"]}", row.ToJsonString());
        var output = new StringWriter();
        var summary = await new JudgeFile(new ToyCodeEnvironment()).RunAsync(new StringReader(lines), output);

        var results = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(5, results.Count);
        Assert.Equal(task.Problem, results[0].GetProperty("problem").GetString());
        Assert.Equal("ok", results[0].GetProperty("verdict").GetString());
        Assert.Contains("line 2: field 'visible_tests[0]' must look like", results[1].GetProperty("error").GetString());
        Assert.Equal(4, results[2].GetProperty("line").GetInt32());
        Assert.Contains("line 5: field 'completion' must be a string", results[3].GetProperty("error").GetString());
        Assert.Equal(results[0].GetProperty("trainReward").GetDouble(), results[4].GetProperty("trainReward").GetDouble());
        Assert.Equal((5, 3), (summary.Rows, summary.Invalid));
    }

    /// <summary>A row past the cap is reported by its line and length and never held whole; the rows around it are judged,
    /// CRLF endings and a last line without a newline included.</summary>
    [Fact]
    public async Task ARowPastTheCapIsAnErrorAndTheOthersAreJudged()
    {
        var task = new ToyCodeEnvironment().SampleTasks(TaskSplit.Train, 1, 9)[0];
        var row = ToyTaskRow.ToJson(task);
        row["completion"] = "def f(x):\n  return x";
        var good = row.ToJsonString();
        var huge = "{\"completion\": \"" + new string('x', 50_000) + "\"}";
        var lines = good + "\r\n" + huge + "\n" + good;
        var output = new StringWriter();
        var summary = await new JudgeFile(new ToyCodeEnvironment(), maxRowChars: 10_000).RunAsync(new StringReader(lines), output);
        var results = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, results.Count);
        Assert.Equal("ok", results[0].GetProperty("verdict").GetString());
        Assert.Equal($"line 2: the row has {huge.Length} characters; at most 10000 are read", results[1].GetProperty("error").GetString());
        Assert.Equal("ok", results[2].GetProperty("verdict").GetString());
        Assert.Equal((3, 1), (summary.Rows, summary.Invalid));
    }

    [Fact]
    public async Task MbppFileScoresRowsInTheSharedFormat()
    {
        var rows = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mbpp-own.jsonl")).Take(3).Select(l =>
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(l)!.AsObject();
            node["completion"] = "```python\n" + node["correct_code"]!.GetValue<string>() + "\n```";
            return node.ToJsonString();
        });
        var output = new StringWriter();
        var summary = await new JudgeFile(new MbppEnvironment([], fixture.Sandbox)).RunAsync(new StringReader(string.Join("\n", rows)), output);
        Assert.Equal((3, 0, 1.0), (summary.Rows, summary.Invalid, summary.CorrectRate));
        var first = JsonDocument.Parse(output.ToString().Split('\n')[0]).RootElement;
        foreach (var field in new[] { "problem", "trainReward", "correct", "misbehaved", "allVisible", "visible", "correctTests", "malformed", "verdict", "durationMs" })
            Assert.True(first.TryGetProperty(field, out _), $"missing {field}");
        Assert.Equal(3, first.GetProperty("visible").GetArrayLength());
    }
}
