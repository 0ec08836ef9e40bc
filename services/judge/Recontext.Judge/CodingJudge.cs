using Recontext.Judge.Abstractions;

namespace Recontext.Judge;

/// <summary>Scores rollouts with the environment named by each task, concurrently (the sandbox bounds parallelism).</summary>
public sealed class CodingJudge(IEnumerable<IEnvironment> environments) : IJudge
{
    readonly Dictionary<string, IEnvironment> byName = environments.ToDictionary(e => e.Name);

    public async Task<IReadOnlyList<JudgeScore>> ScoreAsync(IReadOnlyList<Rollout> rollouts, CancellationToken cancellation = default)
    {
        var scoring = rollouts.Select(r => byName.TryGetValue(r.Task.Environment, out var env)
            ? env.ScoreAsync(r.Task, r.Completion, r.Variant, cancellation)
            : throw new ArgumentException($"no environment '{r.Task.Environment}' for task {r.Task.Id}; known: {string.Join(", ", byName.Keys)}"));
        return await Task.WhenAll(scoring.ToList());
    }
}
