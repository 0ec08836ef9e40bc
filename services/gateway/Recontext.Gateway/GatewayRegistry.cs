using Recontext.Store;

namespace Recontext.Gateway;

/// <summary>
/// The gateway's experiments in the store (<see cref="ExperimentDocument"/>): the MongoDB of the deployment when it
/// has one, so that a gateway started again anywhere with the same store and name finds its runs, else an embedded
/// file beside the runs' folders (<see cref="EmbeddedFile"/>). Each run's own state (cursor, metrics, evaluations,
/// rollouts) is the run's document in the same store (<see cref="RunDocument"/>).
/// </summary>
public sealed class GatewayRegistry : IDisposable
{
    public const string EmbeddedFile = "gateway.db";

    readonly IRunStore store;
    readonly string owner;

    public GatewayRegistry(GatewayOptions options)
    {
        Directory.CreateDirectory(options.RunsDirectory);
        store = RunStores.Open(options.Deployment.StoreUrl, options.RunsDirectory, EmbeddedFile);
        owner = options.Name;
    }

    public void Save(GatewayRun run, string yaml) => store.SaveExperiment(new ExperimentDocument
    {
        Id = run.Id, Name = run.Name, Owner = owner, Status = run.Status, Seeds = [.. run.Seeds], Steps = run.Steps, Yaml = yaml,
        SubmittedUtc = run.SubmittedUtc, StartedUtc = run.StartedUtc, FinishedUtc = run.FinishedUtc, Error = run.Error,
    });

    /// <summary>This gateway's runs (by its name), newest first, with the YAML each was submitted with.</summary>
    public IReadOnlyList<(GatewayRun Run, string Yaml)> Load() => store.Experiments().Where(e => e.Owner == owner).Select(e => (new GatewayRun
    {
        Id = e.Id, Name = e.Name, Status = e.Status, Seeds = e.Seeds, Steps = e.Steps, SubmittedUtc = e.SubmittedUtc, StartedUtc = e.StartedUtc,
        FinishedUtc = e.FinishedUtc, Error = e.Error,
    }, e.Yaml)).ToList();

    public void Dispose() => store.Dispose();
}
