using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Recontext.Organism;
using Recontext.Runs;
using Recontext.Runs.Config;
using Recontext.Store;

namespace Recontext.Gateway;

/// <summary>
/// The gateway's runs: accepts experiments (validated before anything is stored), runs them one after another
/// through <see cref="RunLoop"/> with the gateway's deployment, streams their events, stops them on request, and on
/// start-up resumes the runs a previous gateway left queued or running (their folders hold everything needed).
/// </summary>
public sealed class RunManager(GatewayOptions options, IHostApplicationLifetime lifetime, ILogger<RunManager> log) : BackgroundService
{
    public const string ExperimentFileName = "experiment.yaml";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    sealed class Entry(GatewayRun run)
    {
        public GatewayRun Run { get; set; } = run;
        public RunEvents Events { get; } = new();
        public CancellationTokenSource Stop { get; } = new();
    }

    readonly ConcurrentDictionary<string, Entry> runs = new();
    readonly Channel<string> queue = Channel.CreateUnbounded<string>();

    /// <summary>Validates and queues an experiment; returns its run.</summary>
    /// <exception cref="ExperimentException">the experiment is invalid (the message names the field); nothing is stored</exception>
    public GatewayRun Submit(string yaml)
    {
        var experiment = ExperimentFile.Parse(yaml);
        foreach (var seed in experiment.Seeds) RunLimits.Check((experiment.Config with { Seed = seed }).Validate());
        var id = $"{Slug(experiment.Config.Name)}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var run = new GatewayRun
        {
            Id = id, Name = experiment.Config.Name, Status = "queued", Seeds = experiment.Seeds, Steps = experiment.Config.Steps, SubmittedUtc = DateTime.UtcNow,
        };
        var directory = Directory.CreateDirectory(DirectoryOf(id)).FullName;
        File.WriteAllText(Path.Combine(directory, ExperimentFileName), yaml);
        Save(run);
        GatewayMetrics.Submitted.Inc();
        var entry = runs[id] = new Entry(run);
        entry.Events.Publish(new RunEvent { Kind = "status", RunId = id, Status = run.Status });
        queue.Writer.TryWrite(id);
        return run;
    }

    public IReadOnlyList<GatewayRun> List() => runs.Values.Select(e => e.Run).OrderByDescending(r => r.SubmittedUtc).ToList();

    public GatewayRun? Get(string id) => runs.TryGetValue(id, out var e) ? e.Run : null;

    /// <returns>false when the run is unknown; a finished run stays as it was</returns>
    public bool Stop(string id)
    {
        if (!runs.TryGetValue(id, out var entry)) return false;
        if (!entry.Run.Active) return true;
        entry.Stop.Cancel();
        // A queued run is stopped at once; a running one when its loop sees the cancellation.
        lock (entry)
            if (entry.Run.Status == "queued") Finish(entry, "stopped", null);
        return true;
    }

    public IAsyncEnumerable<RunEvent>? Watch(string id, CancellationToken cancellation) =>
        runs.TryGetValue(id, out var entry) ? entry.Events.WatchAsync(cancellation) : null;

    /// <summary>The rollouts of one seed of a run that match the query, a page of them, and how many matched.</summary>
    public (IReadOnlyList<RolloutDocument> Page, int Total)? Rollouts(string id, RolloutQuery query)
    {
        if (!runs.TryGetValue(id, out var entry)) return null;
        long seed = query.Seed ?? entry.Run.Seeds[0];
        var directory = Path.Combine(DirectoryOf(id), $"seed-{seed}");
        var runIdFile = Path.Combine(directory, RunLoop.RunIdFile);
        if (!File.Exists(runIdFile)) return ([], 0);
        using var store = RunStores.Open(options.Deployment.StoreUrl, directory);
        var matching = query.Apply(store.Rollouts(File.ReadAllText(runIdFile).Trim(), query.Step)).ToList();
        return (matching.Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToList(), matching.Count);
    }

    public string DirectoryOf(string id) => Path.Combine(options.RunsDirectory, id);

    protected override async Task ExecuteAsync(CancellationToken serviceStopping)
    {
        // The host stops its web server (draining open requests) before this service: stop the runs as soon as the
        // application begins to stop, so that an interrupted run keeps its resume point instead of racing to the end.
        using var stoppingSource = CancellationTokenSource.CreateLinkedTokenSource(serviceStopping, lifetime.ApplicationStopping);
        var stopping = stoppingSource.Token;
        ResumeLeftRuns();
        await foreach (var id in queue.Reader.ReadAllAsync(stopping))
        {
            var entry = runs[id];
            lock (entry)
            {
                if (!entry.Run.Active) continue;   // stopped while it waited in the queue
                Update(entry, entry.Run with { Status = "running", StartedUtc = entry.Run.StartedUtc ?? DateTime.UtcNow });
            }
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, entry.Stop.Token);
            try
            {
                await ExecuteRunAsync(entry, linked.Token);
                Finish(entry, "completed", null);
            }
            catch (OperationCanceledException) when (entry.Stop.IsCancellationRequested)
            {
                Finish(entry, "stopped", null);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;   // the gateway stops: the run stays "running" and resumes at the next start
            }
            catch (Exception e)
            {
                log.LogError(e, "run {Id} failed", id);
                Finish(entry, "failed", e.Message);
            }
        }
    }

    async Task ExecuteRunAsync(Entry entry, CancellationToken cancellation)
    {
        var id = entry.Run.Id;
        var experiment = ExperimentFile.Load(Path.Combine(DirectoryOf(id), ExperimentFileName));
        // The base is pre-trained (or read from the cache) here, off the request path: it takes minutes the first time.
        var baseDirectory = experiment.Config.Checkpoint
                            ?? await Task.Run(() => ToyBaseModel.TrainOrLoad(experiment.Config.Base, options.CacheDirectory), cancellation);
        foreach (var seed in experiment.Seeds)
        {
            var config = experiment.Config with { Seed = seed };
            var directory = Path.Combine(DirectoryOf(id), $"seed-{seed}");
            int? completed = RunState.CompletedStep(directory);
            if (RunLoop.TryLoadFinished(config, directory) is not null) continue;
            var listener = new EventListener(entry.Events, id, seed, config.PromptsPerStep * config.SamplesPerPrompt);
            var progress = new Progress<RunLoop.Progress>(p => entry.Events.Publish(new RunEvent
            {
                Kind = "progress", RunId = id, Seed = seed, Step = p.Step, Steps = p.Steps, Phase = p.Phase,
            }));
            var result = await new RunLoop(config, baseDirectory, directory, deployment: options.Deployment, listener: listener)
                .RunAsync(progress, cancellation, resume: completed is not null);
            RunReport.Write(result);
        }
    }

    /// <summary>Turns a run's records into its events and its Prometheus numbers.</summary>
    sealed class EventListener(RunEvents events, string runId, long seed, int rolloutsPerStep) : IRunListener
    {
        public void OnStep(StepRecord step)
        {
            GatewayMetrics.Step(runId, seed, step, rolloutsPerStep);
            events.Publish(new RunEvent { Kind = "step", RunId = runId, Seed = seed, Step = step.Step, Metrics = step });
        }

        public void OnEvaluation(EvaluationRecord evaluation)
        {
            GatewayMetrics.Evaluation(runId, seed, evaluation);
            events.Publish(new RunEvent { Kind = "evaluation", RunId = runId, Seed = seed, Step = evaluation.Step, Evaluation = evaluation });
        }
    }

    void ResumeLeftRuns()
    {
        if (!Directory.Exists(options.RunsDirectory)) return;
        foreach (var file in Directory.EnumerateFiles(options.RunsDirectory, GatewayRun.FileName, SearchOption.AllDirectories))
        {
            GatewayRun? run;
            try
            {
                run = JsonSerializer.Deserialize<GatewayRun>(File.ReadAllText(file), Json);
            }
            catch (JsonException e)
            {
                log.LogWarning("{File} is not a gateway run record ({Message}); left alone", file, e.Message);
                continue;
            }
            if (run is null || runs.ContainsKey(run.Id)) continue;
            var entry = runs[run.Id] = new Entry(run);
            if (!run.Active) continue;
            log.LogInformation("resuming run {Id} ({Status} when the gateway last stopped)", run.Id, run.Status);
            queue.Writer.TryWrite(run.Id);
        }
    }

    void Finish(Entry entry, string status, string? error)
    {
        Update(entry, entry.Run with { Status = status, FinishedUtc = DateTime.UtcNow, Error = error });
        GatewayMetrics.Finished.WithLabels(status).Inc();
        entry.Events.Publish(new RunEvent { Kind = "status", RunId = entry.Run.Id, Status = status, Error = error }, final: true);
    }

    void Update(Entry entry, GatewayRun run)
    {
        entry.Run = run;
        Save(run);
        if (run.Status == "running") entry.Events.Publish(new RunEvent { Kind = "status", RunId = run.Id, Status = run.Status });
    }

    void Save(GatewayRun run)
    {
        var path = Path.Combine(DirectoryOf(run.Id), GatewayRun.FileName);
        File.WriteAllText(path + ".partial", JsonSerializer.Serialize(run, Json));
        File.Move(path + ".partial", path, overwrite: true);
    }

    static string Slug(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')).Trim('-') is { Length: > 0 } s ? s : "run";
}
