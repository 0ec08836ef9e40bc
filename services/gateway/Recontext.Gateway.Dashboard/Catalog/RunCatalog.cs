using System.Collections.Concurrent;
using System.Text.Json;
using Recontext.Runs;
using Recontext.Runs.Evaluation;
using Recontext.Store;

namespace Recontext.Gateway.Dashboard.Catalog;

/// <summary>
/// The runs the dashboard shows: every results folder under the gateway's runs folder (demos, sweeps, `recontext run`
/// folders, the gateway's own runs; a folder holding run-config.json is a run) and the gateway's runs that only the
/// store knows (a gateway started elsewhere on the same MongoDB). Read on each request, so a run another process
/// trains shows up and moves as its files grow.
/// </summary>
public sealed class RunCatalog(GatewayOptions options, RunManager gateway)
{
    /// <summary>How deep under the runs folder a run's folder may sit (a sweep's: SWEEP/runs/POINT/seed-S).</summary>
    const int MaxDepth = 6;

    public string Root => options.RunsDirectory;

    public IReadOnlyList<DashboardRun> Runs()
    {
        var found = new Dictionary<string, DashboardRun>();
        if (Directory.Exists(Root))
        {
            var configs = Directory.EnumerateFiles(Root, RunFiles.ConfigFile, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = MaxDepth });
            foreach (var config in configs)
            {
                var key = KeyOf(Path.GetDirectoryName(config)!);
                if (Summary(key) is { } run) found[key] = run;
            }
        }
        foreach (var run in gateway.List())
            foreach (var seed in run.Seeds)
            {
                var key = RunManager.TraceId(run.Id, seed);
                if (!found.ContainsKey(key) && Summary(key) is { } stored) found[key] = stored;
            }
        foreach (var gone in index.Keys.Where(k => !found.ContainsKey(k))) index.TryRemove(gone, out _);
        // Newest experiment first; inside one, by name and seed (a demo's runs start within moments of each other).
        return found.Values.GroupBy(r => r.Experiment).OrderByDescending(g => g.Max(r => r.StartedUtc ?? DateTime.MinValue))
            .SelectMany(g => g.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Seed)).ToList();
    }

    /// <summary>Each listed run's summary, kept with a fingerprint of what it was read from: a request reads again only
    /// the runs whose files (or gateway status) changed, so listing 1,000 finished runs costs a few stats each instead of
    /// parsing every CSV file and asking the store for every run (docs/architecture.md, the dashboard).</summary>
    readonly ConcurrentDictionary<string, (string Fingerprint, DashboardRun Run)> index = new();

    DashboardRun? Summary(string key)
    {
        var fingerprint = Fingerprint(key);
        if (fingerprint is not null && index.TryGetValue(key, out var known) && known.Fingerprint == fingerprint) return known.Run;
        var run = Read(key)?.Run;
        if (run is not null && fingerprint is not null) index[key] = (fingerprint, run);
        else index.TryRemove(key, out _);
        return run;
    }

    /// <summary>What a run's summary is read from: its files' sizes and times, whether a live process holds the folder,
    /// and its gateway run's status. Null (never indexed) for a seed of a gateway run still queued or running: its status
    /// depends on its sibling seeds and its metrics may live in the store only.</summary>
    string? Fingerprint(string key)
    {
        if (DirectoryOf(key) is not { } directory) return null;
        var owner = GatewayRunOf(key);
        if (owner is { } o && o.Run.Active) return null;
        var parts = new List<string> { owner is { } g ? $"{g.Run.Status.Name()}:{g.Run.FinishedUtc?.Ticks}" : "-", RunFolderLock.IsHeld(directory) ? "held" : "free" };
        foreach (var file in new[] { RunFiles.ConfigFile, RunFiles.MetricsFile, RunFiles.EvaluationsFile, Path.Combine("state", "cursor.json"), RunLoop.RunIdFile })
        {
            var info = new FileInfo(Path.Combine(directory, file));
            parts.Add(info.Exists ? $"{info.Length}@{info.LastWriteTimeUtc.Ticks}" : "none");
        }
        return string.Join('|', parts);
    }

    /// <summary>The run at <paramref name="key"/> with its config and metrics, or null when there is none (or the key
    /// is not a path inside the runs folder).</summary>
    public RunDetail? Read(string key)
    {
        if (DirectoryOf(key) is not { } directory) return null;
        var owner = GatewayRunOf(key);
        bool hasFolder = File.Exists(Path.Combine(directory, RunFiles.ConfigFile));
        if (!hasFolder && owner is null) return null;

        string? configJson = hasFolder ? ReadText(Path.Combine(directory, RunFiles.ConfigFile)) : null;
        var stored = owner is not null && options.Deployment.StoreUrl is not null ? StoredRun(key) : null;
        var (steps, evaluations) = File.Exists(Path.Combine(directory, RunFiles.MetricsFile)) || stored is null
            ? RunFiles.Read(directory)
            : (stored.Steps.Select(MetricRows.ToStep).ToList(), stored.Evaluations.Select(MetricRows.ToEvaluation).ToList());
        configJson ??= stored?.ConfigJson is { Length: > 0 } json ? json : null;

        JsonElement config = default;
        if (configJson is not null)
            try
            {
                config = JsonDocument.Parse(configJson).RootElement.Clone();
            }
            catch (JsonException)
            {
                configJson = null;   // a config cut short by a crash: the run is still listed, from its other files
            }
        string name = Text(config, "Name") ?? owner?.Run.Name ?? Path.GetFileName(directory);
        long seed = Number(config, "Seed") ?? SeedOf(key) ?? 0;
        int totalSteps = (int)(Number(config, "Steps") ?? owner?.Run.Steps ?? 0);
        int completed = Completed(directory) ?? stored?.CompletedStep ?? steps.Select(s => s.Step).DefaultIfEmpty(0).Max();
        bool finished = totalSteps == 0 ? evaluations.Count > 0 && !RunFolderLock.IsHeld(directory) : completed >= totalSteps;

        var (status, error) = owner is { } o ? SeedStatus(o.Run, seed, finished, key) : (finished ? RunStatus.Completed : RunFolderLock.IsHeld(directory) ? RunStatus.Running : RunStatus.Stopped, null);
        var last = evaluations.Count == 0 ? null : (int?)evaluations.Max(e => e.Step);
        var run = new DashboardRun
        {
            Key = key,
            Experiment = ExperimentOf(key, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Root)))),
            Name = name,
            Seed = seed,
            BaseSeed = config.ValueKind == JsonValueKind.Object && config.TryGetProperty("Base", out var b) && b.ValueKind == JsonValueKind.Object
                       && b.TryGetProperty("Seed", out var s) && s.TryGetInt64(out var baseSeed) ? baseSeed : 1,
            Status = status,
            Error = error,
            Step = completed,
            Steps = totalSteps,
            Variant = configJson is null ? RunVariant.Unknown : RunVariant.Of(config),
            StartedUtc = Started(directory) ?? owner?.Run.StartedUtc,
            FinishedUtc = !status.IsActive() ? Finished(directory) ?? stored?.UpdatedUtc ?? owner?.Run.FinishedUtc : null,
            LastEvaluation = last is int l ? evaluations.Where(e => e.Step == l).Select(e => e.Rates).ToList() : [],
            LastEvaluatedStep = last,
        };
        return new RunDetail(run, configJson, owner?.Yaml ?? ExperimentFileNear(directory), steps, evaluations);
    }

    /// <summary>The store holding the run's rollouts and the id they are kept under there, or null when it has none yet.</summary>
    public (IRunStore Store, string TraceId)? OpenTraces(string key)
    {
        if (DirectoryOf(key) is not { } directory) return null;
        bool embedded = File.Exists(Path.Combine(directory, RunStores.EmbeddedFile));
        var traceId = ReadText(Path.Combine(directory, RunLoop.RunIdFile))?.Trim() ?? (GatewayRunOf(key) is not null ? key : null);
        if (traceId is null) return null;
        if (embedded) return (RunStores.OpenReader(null, directory), traceId);
        return options.Deployment.StoreUrl is { } url ? (RunStores.OpenReader(url, directory), traceId) : null;
    }

    /// <summary>What changes when the run moves on (its files grow, its status changes): the live page redraws on a change.</summary>
    public string? Signature(string key)
    {
        if (DirectoryOf(key) is not { } directory) return null;
        long Size(string file) => new FileInfo(Path.Combine(directory, file)) is { Exists: true } f ? f.Length : -1;
        var run = Read(key)?.Run;
        return run is null ? null : $"{run.Status.Name()}:{run.Step}:{Size(RunFiles.MetricsFile)}:{Size(RunFiles.EvaluationsFile)}:{run.LastEvaluatedStep}";
    }

    /// <summary>The folder a key names, or null when the key is not a plain relative path inside the runs folder.</summary>
    public string? DirectoryOf(string key)
    {
        if (key.Length is 0 or > 400 || key.StartsWith('/') || key.Split('/').Any(s => s is "" or "." or ".." || !s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            return null;
        var full = Path.GetFullPath(Path.Combine(Root, key));
        return full.StartsWith(Path.GetFullPath(Root) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    string KeyOf(string directory) => Path.GetRelativePath(Root, directory).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>The experiment: the folder holding <c>runs/POINT/seed-S</c> (a demo's or a sweep's; for a demo on several
    /// bases the folder above its <c>base-B/</c> folders), or the runs folder's own name when it is that folder (a
    /// dashboard started on one demo); otherwise the top folder under the runs folder (a gateway run's id, a `recontext
    /// run` folder).</summary>
    /// <param name="rootName">the runs folder's own name</param>
    public static string ExperimentOf(string key, string rootName)
    {
        var parts = key.Split('/');
        int runs = parts.Length < 3 ? -1 : Array.LastIndexOf(parts, "runs", parts.Length - 3);
        if (runs < 0) return parts[0];
        var holder = parts[..runs];
        if (holder.Length > 0 && holder[^1].StartsWith("base-", StringComparison.Ordinal) && long.TryParse(holder[^1]["base-".Length..], out _)) holder = holder[..^1];
        return holder.Length > 0 ? string.Join('/', holder) : rootName;
    }

    (GatewayRun Run, string? Yaml)? GatewayRunOf(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 2 || gateway.Get(parts[0]) is not { } run) return null;
        return SeedOf(key) is long seed && run.Seeds.Contains(seed) ? (run, gateway.ExperimentYaml(run.Id)) : null;
    }

    static long? SeedOf(string key) =>
        key.Split('/')[^1] is var last && last.StartsWith("seed-", StringComparison.Ordinal) && long.TryParse(last["seed-".Length..], out long seed) ? seed : null;

    /// <summary>A seed of a gateway run: the seeds run one after another, so the first unfinished one of a running
    /// run is running and the later ones wait.</summary>
    (RunStatus Status, string? Error) SeedStatus(GatewayRun run, long seed, bool finished, string key)
    {
        if (finished) return (RunStatus.Completed, null);
        if (run.Status != RunStatus.Running) return (run.Status == RunStatus.Completed ? RunStatus.Stopped : run.Status, run.Error);
        var firstUnfinished = run.Seeds.FirstOrDefault(s =>
        {
            var other = RunManager.TraceId(run.Id, s);
            return other == key || DirectoryOf(other) is not { } d || (Completed(d) ?? 0) < run.Steps;
        });
        return (firstUnfinished == seed ? RunStatus.Running : RunStatus.Queued, null);
    }

    RunDocument? StoredRun(string key)
    {
        try
        {
            using var store = RunStores.Open(options.Deployment.StoreUrl, Root);
            return store.FindRun(key);
        }
        catch (TimeoutException)
        {
            return null;   // the store is away: show what the folder holds
        }
    }

    static int? Completed(string directory)
    {
        try
        {
            return RunState.CompletedStep(directory);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    static DateTime? Started(string directory) =>
        new[] { RunLoop.RunIdFile, RunFiles.ConfigFile }.Select(f => new FileInfo(Path.Combine(directory, f))).FirstOrDefault(f => f.Exists)?.LastWriteTimeUtc;

    static DateTime? Finished(string directory) =>
        new[] { RunFiles.MetricsFile, RunFiles.EvaluationsFile }.Select(f => new FileInfo(Path.Combine(directory, f))).Where(f => f.Exists)
            .Select(f => (DateTime?)f.LastWriteTimeUtc).Max();

    /// <summary>The experiment file a `recontext run` folder keeps beside its seeds.</summary>
    static string? ExperimentFileNear(string directory) =>
        Path.GetDirectoryName(directory) is { } parent ? ReadText(Path.Combine(parent, RunManager.ExperimentFileName)) : null;

    static string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static long? Number(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : null;
}
