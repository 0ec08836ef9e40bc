using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recontext.Cli.Tests;

/// <summary>`recontext probe train | eval` on a `model init` folder with a data file of labelled completions, and the bad
/// inputs a user can give, each named in one line with exit code 2.</summary>
public sealed class ProbeCommandTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-cli-probe-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>Completions that say what the label is ("yes" or "no" words among random filler): the residual stream carries it.</summary>
    string DataFile(string name, int rows, int seed, Func<int, bool>? label = null)
    {
        var random = new Random(seed);
        string[] filler = ["the", "parcel", "today", "maybe", "later", "score", "build", "stock"];
        var lines = Enumerable.Range(0, rows).Select(i =>
        {
            bool positive = label?.Invoke(i) ?? i % 2 == 0;
            var words = Enumerable.Range(0, 6).Select(_ => filler[random.Next(filler.Length)]).ToList();
            words.Insert(random.Next(words.Count), positive ? "yes yes" : "no no");
            return new JsonObject
            {
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = $"Question {random.Next(100)}?" }),
                ["completion"] = string.Join(' ', words), ["label"] = positive,
            }.ToJsonString();
        });
        var path = Path.Combine(root, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void AProbeTrainsOnAModelInitFolderAndEvaluatesOnOtherCompletions()
    {
        var model = Path.Combine(root, "qwen3");
        var init = RecontextCli.Run("model", "init", "--family", "qwen3", "--size", "tiny", "--out", model, "--dtype", "fp32", "--seed", "2");
        Assert.True(init.ExitCode == 0, init.Error);
        var probe = Path.Combine(root, "probe.json");
        var train = RecontextCli.Run("probe", "train", "--model", model, "--data", DataFile("train.jsonl", 120, 1), "--out", probe, "--target-tpr", "0.8");
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Matches(@"held-out: AUROC (0\.9\d\d|1\.000), TPR", train.Out);
        Assert.Contains("chose layer", train.Out);
        using (var file = JsonDocument.Parse(File.ReadAllText(probe)))
        {
            Assert.Equal("recontext-probe/1", file.RootElement.GetProperty("format").GetString());
            Assert.Equal(0.8, file.RootElement.GetProperty("targetTpr").GetDouble());
            Assert.True(file.RootElement.GetProperty("heldOut").GetProperty("auroc").GetDouble() > 0.9);
        }

        var evaluate = RecontextCli.Run("probe", "eval", "--probe", probe, "--model", model, "--data", DataFile("other.jsonl", 60, 7));
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        var auroc = double.Parse(System.Text.RegularExpressions.Regex.Match(evaluate.Out, @"AUROC (\d\.\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(auroc > 0.9, evaluate.Out);

        // Bad inputs: each one line naming what is wrong, rc 2.
        void Refused(string expected, params string[] args)
        {
            var result = RecontextCli.Run(args);
            Assert.True(result.ExitCode == 2, $"{string.Join(' ', args)}: rc {result.ExitCode}\n{result.Out}{result.Error}");
            Assert.Contains(expected, result.Error);
            Assert.DoesNotContain("   at ", result.Error);
        }
        var unlabelled = Path.Combine(root, "unlabelled.jsonl");
        File.WriteAllText(unlabelled, """{"messages": [{"role": "user", "content": "q"}], "completion": "yes"}""" + "\n");
        Refused("line 1: field 'label' is missing", "probe", "train", "--model", model, "--data", unlabelled, "--out", Path.Combine(root, "p2.json"));
        Refused("one class only (60 positive, 0 negative)", "probe", "train", "--model", model, "--data", DataFile("one.jsonl", 60, 3, _ => true), "--out", Path.Combine(root, "p3.json"));
        Refused("--layers: layer 9 does not exist", "probe", "train", "--model", model, "--data", DataFile("l.jsonl", 40, 4), "--out", Path.Combine(root, "p4.json"), "--layers", "0,9");
        Refused("--model: ", "probe", "train", "--model", Path.Combine(root, "nowhere"), "--data", DataFile("m.jsonl", 40, 5), "--out", Path.Combine(root, "p5.json"));
        Refused("give --data FILE (with --model) or --setting NAME", "probe", "train", "--out", Path.Combine(root, "p6.json"));
        var damaged = Path.Combine(root, "damaged.json");
        File.WriteAllText(damaged, File.ReadAllText(probe).Replace("\"format\": \"recontext-probe/1\"", "\"format\": \"other\""));
        Refused("field 'format' is 'other'", "probe", "eval", "--probe", damaged, "--model", model, "--data", DataFile("d.jsonl", 20, 6));
    }
}
