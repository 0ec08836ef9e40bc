using System.Text.Json;
using System.Text.Json.Nodes;

namespace Recontext.Sandbox;

/// <summary>
/// The process that decides pass or fail (checker.py, sandboxed like everything else, under a uid of its own): it
/// splits each test into probes for the program's process and later runs the test's asserts on the plain values
/// those probes returned. It never executes the program's code, so the program cannot reach the comparison.
/// </summary>
sealed class TestChecker(Func<List<string>> command, TimeSpan timeout) : IDisposable
{
    readonly SandboxedServer server = new("test checker", command);

    /// <summary>One plan per test, in order.</summary>
    /// <exception cref="InvalidTestException">a test is not Python, or holds more than asserts and standard imports</exception>
    public IReadOnlyList<TestPlan> Plan(string code, IReadOnlyList<string> tests)
    {
        var response = Ask(new JsonObject { ["op"] = "plan", ["code"] = code, ["tests"] = new JsonArray(tests.Select(t => (JsonNode?)t).ToArray()) });
        var plans = response["plans"]!.AsArray();
        return plans.Select((p, i) => p!["error"] is { } error
            ? throw new InvalidTestException($"test {i + 1} ({Shorten(tests[i])}) cannot be judged: {error.GetValue<string>()}")
            : new TestPlan(p["key"]!.GetValue<string>(), p["probes"]!.AsArray().Select(x => x!.GetValue<string>()).ToArray())).ToArray();
    }

    /// <summary>Runs each test's asserts on its probes' reported values (null: the probe never reported).</summary>
    public IReadOnlyList<TestVerdict> Check(IReadOnlyList<(TestPlan Plan, IReadOnlyList<JsonNode?> Values)> items)
    {
        var request = new JsonObject
        {
            ["op"] = "check",
            ["items"] = new JsonArray(items.Select(item => (JsonNode?)new JsonObject
            {
                ["key"] = item.Plan.Key,
                ["values"] = new JsonArray(item.Values.Select(v => v?.DeepClone()).ToArray()),
            }).ToArray()),
        };
        return Ask(request)["results"]!.AsArray().Select(r => new TestVerdict(
            r!["passed"]!.GetValue<bool>(), r["kind"]?.GetValue<string>(), r["tampered"]?.GetValue<string>())).ToArray();
    }

    JsonNode Ask(JsonObject request)
    {
        var line = server.Request(request.ToJsonString(), timeout);
        var response = JsonNode.Parse(line) ?? throw new SandboxServerException("the test checker answered null");
        if (response["error"] is { } error) throw new SandboxServerException($"the test checker refused a request: {error}");
        return response;
    }

    static string Shorten(string test) => JsonSerializer.Serialize(test.Length > 80 ? test[..80] + "..." : test);

    public void Dispose() => server.Dispose();
}
