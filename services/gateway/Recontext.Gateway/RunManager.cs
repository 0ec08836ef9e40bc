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
/// The gateway's runs: accepts experiments (validated before anything is stored), keeps them in the store
/// (<see cref="GatewayRegistry"/>), runs them one after another through <see cref="RunLoop"/> with the gateway's
/// deployment, streams their events, stops them on request, and on start-up resumes the runs a previous gateway of
/// its name left queued or running.
/// </summary>
public sealed class RunManager : BackgroundService
{
    readonly GatewayOptions options;
    readonly IHostApplicationLifetime lifetime;
    readonly ILogger<RunManager> log;
    readonly GatewayRegistry registry;

    public RunManager(GatewayOptions options, IHostApplicationLifetime lifetime, ILogger<RunManager> log)
    {
        (this.options, this.lifetime, this.log) = (options, lifetime, log);
        registry = new GatewayRegistry(options);
        // Before the API answers (the hosted service's loop starts in the background): the runs are listed at once.
        ResumeLeftRuns();
    }

    /// <summary>The experiment as submitted, also written into the run's results folder for whoever reads it there.</summary>
    public const string ExperimentFileName = "experiment.yaml";

    sealed class Entry(GatewayRun run, string yaml)
    {
        public GatewayRun Run { get; set; } = run;
        public string Yaml { get; } = yaml;
        public RunEvents Events { get; } = new();
        public CancellationTokenSource Stop { get; } = new();
    }

    readonly ConcurrentDictionary<string, Entry> runs = new();
    readonly Channel<string> queue = Channel.CreateUnbounded<string>();

    /// <summary>Validates and queues an experiment; returns its run.</summary>
    /// <exception cref="ExperimentException">the experiment is invalid (the message names the field); nothing is stored</exception>
    public GatewayRun Submit(string yaml)
    {
        if (options.DashboardOnly) throw new ArgumentException("this gateway only serves the dashboard: it takes no runs (start `recontext serve gateway` for that)");
        var experiment = ExperimentFile.Parse(yaml);
        foreach (var seed in experiment.Seeds) RunLimits.Check((experiment.Config with { Seed = seed }).Validate());
        var id = $"{Slug(experiment.Config.Name)}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var run = new GatewayRun
        {
            Id = id, Name = experiment.Config.Name, Status = RunStatus.Queued, Seeds = experiment.Seeds, Steps = experiment.Config.Steps, SubmittedUtc = DateTime.UtcNow,
        };
        Entry entry;
        lock (queue)   // the count and the insert together: concurrent submits cannot pass the bound side by side
        {
            int queued = runs.Values.Count(e => e.Run.Status == RunStatus.Queued);
            if (queued >= options.MaxQueued)
                throw new QueueFullException($"{queued} runs are waiting to start, the most this gateway queues (--max-queued {options.MaxQueued}); submit again once some have started");
            registry.Save(run, yaml);
            entry = runs[id] = new Entry(run, yaml);
        }
        GatewayMetrics.Submitted.Inc();
        entry.Events.Publish(new RunEvent { Kind = "status", RunId = id, Status = run.Status });
        queue.Writer.TryWrite(id);
        return run;
    }

    public IReadOnlyList<GatewayRun> List() => runs.Values.Select(e => e.Run).OrderByDescending(r => r.SubmittedUtc).ToList();

    public GatewayRun? Get(string id) => runs.TryGetValue(id, out var e) ? e.Run : null;

    /// <summary>The experiment YAML a run was submitted with.</summary>
    public string? ExperimentYaml(string id) => runs.TryGetValue(id, out var e) ? e.Yaml : null;

    /// <returns>false when the run is unknown; a finished run stays as it was</returns>
    public bool Stop(string id)
    {
        if (!runs.TryGetValue(id, out var entry)) return false;
        if (!entry.Run.Active) return true;
        entry.Stop.Cancel();
        // A queued run is stopped at once; a running one when its loop sees the cancellation.
        lock (entry)
            if (entry.Run.Status == RunStatus.Queued) Finish(entry, RunStatus.Stopped, null);
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
        // MongoDB holds every run's traces; the embedded store is the run's traces.db, which exists once it started.
        if (options.Deployment.StoreUrl is null && !File.Exists(Path.Combine(directory, RunStores.EmbeddedFile))) return ([], 0);
        using var store = RunStores.OpenReader(options.Deployment.StoreUrl, directory);
        return query.Read(store, TraceId(id, seed));
    }

    public string DirectoryOf(string id) => Path.Combine(options.RunsDirectory, id);

    /// <summary>The id under which one seed of a gateway run keeps its traces.</summary>
    public static string TraceId(string id, long seed) => $"{id}/seed-{seed}";

    protected override async Task ExecuteAsync(CancellationToken serviceStopping)
    {
        // The host stops its web server (draining open requests) before this service: stop the runs as soon as the
        // application begins to stop, so that an interrupted run keeps its resume point instead of racing to the end.
        using var stoppingSource = CancellationTokenSource.CreateLinkedTokenSource(serviceStopping, lifetime.ApplicationStopping);
        var stopping = stoppingSource.Token;
        await foreach (var id in queue.Reader.ReadAllAsync(stopping))
        {
            var entry = runs[id];
            lock (entry)
            {
                if (!entry.Run.Active) continue;   // stopped while it waited in the queue
                Update(entry, entry.Run with { Status = RunStatus.Running, StartedUtc = entry.Run.StartedUtc ?? DateTime.UtcNow });
            }
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, entry.Stop.Token);
            try
            {
                await ExecuteRunAsync(entry, linked.Token);
                Finish(entry, RunStatus.Completed, null);
            }
            catch (OperationCanceledException) when (entry.Stop.IsCancellationRequested)
            {
                Finish(entry, RunStatus.Stopped, null);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;   // the gateway stops: the run stays "running" and resumes at the next start
            }
            catch (Exception e)
            {
                log.LogError(e, "run {Id} failed", id);
                Finish(entry, RunStatus.Failed, e.Message);
            }
        }
    }

    async Task ExecuteRunAsync(Entry entry, CancellationToken cancellation)
    {
        var id = entry.Run.Id;
        var experiment = ExperimentFile.Parse(entry.Yaml);
        var folder = Directory.CreateDirectory(DirectoryOf(id)).FullName;
        File.WriteAllText(Path.Combine(folder, ExperimentFileName), entry.Yaml);
        // The base is pre-trained (or read from the cache) here, off the request path: it takes minutes the first time.
        var baseDirectory = experiment.Config.Checkpoint ?? CachedBase(experiment.Config.OrganismBase)
                            ?? await Task.Run(() => ToyBaseModel.TrainOrLoad(experiment.Config.OrganismBase, options.CacheDirectory), cancellation);
        foreach (var seed in experiment.Seeds)
        {
            var config = experiment.Config with { Seed = seed };
            var directory = Directory.CreateDirectory(Path.Combine(DirectoryOf(id), $"seed-{seed}")).FullName;
            // The run's id in the trace store is the gateway run's and the seed, so its traces are found from the
            // registry alone (on a gateway elsewhere too), not from a file in this folder.
            var runIdFile = Path.Combine(directory, RunLoop.RunIdFile);
            if (!File.Exists(runIdFile)) File.WriteAllText(runIdFile, TraceId(id, seed));
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

    /// <summary>The toy base when the cache holds it. A gateway without libtorch cannot train one: it says how to.</summary>
    string? CachedBase(BaseModelOptions settings)
    {
        var directory = Path.Combine(options.CacheDirectory, $"base-{settings.Key}");
        if (File.Exists(Path.Combine(directory, Model.Checkpoints.Checkpoint.WeightsFile))) return directory;
        if (options.Torch) return null;
        throw new InvalidOperationException($"model.base: the toy base {settings.Key} is not in the cache {options.CacheDirectory}, and this gateway carries no " +
                                            $"libtorch to train it: run `recontext pretrain-toy --cache {options.CacheDirectory}` once (with the experiment's base " +
                                            "settings), or give model.checkpoint");
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
        // Oldest first, so the queue keeps the order they were submitted in.
        foreach (var (run, yaml) in registry.Load().Reverse())
        {
            if (runs.ContainsKey(run.Id)) continue;
            runs[run.Id] = new Entry(run, yaml);
            if (!run.Active) continue;
            if (options.DashboardOnly)
            {
                // A dashboard beside a command's own work lists the gateway's runs and trains none of them.
                log.LogInformation("run {Id} was left {Status}; a dashboard-only gateway does not resume it", run.Id, run.Status);
                continue;
            }
            log.LogInformation("resuming run {Id} ({Status} when the gateway last stopped)", run.Id, run.Status);
            queue.Writer.TryWrite(run.Id);
        }
    }

    void Finish(Entry entry, RunStatus status, string? error)
    {
        Update(entry, entry.Run with { Status = status, FinishedUtc = DateTime.UtcNow, Error = error });
        GatewayMetrics.Finished.WithLabels(status.Name()).Inc();
        entry.Events.Publish(new RunEvent { Kind = "status", RunId = entry.Run.Id, Status = status, Error = error }, final: true);
    }

    void Update(Entry entry, GatewayRun run)
    {
        entry.Run = run;
        registry.Save(run, entry.Yaml);
        if (run.Status == RunStatus.Running) entry.Events.Publish(new RunEvent { Kind = "status", RunId = run.Id, Status = run.Status });
    }

    public override void Dispose()
    {
        base.Dispose();
        registry.Dispose();
    }

    static string Slug(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')).Trim('-') is { Length: > 0 } s ? s : "run";
}
