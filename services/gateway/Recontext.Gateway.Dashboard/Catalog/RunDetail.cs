using Recontext.Runs;

namespace Recontext.Gateway.Dashboard.Catalog;

/// <summary>Everything the run page shows: the run, its resolved config and experiment file, every step's metrics and
/// every evaluation.</summary>
/// <param name="ConfigJson">the resolved config (run-config.json), or null when only the store knows the run</param>
/// <param name="ExperimentYaml">the experiment as written (the gateway's submission, or experiment.yaml beside the run)</param>
public sealed record RunDetail(DashboardRun Run, string? ConfigJson, string? ExperimentYaml, IReadOnlyList<StepRecord> Steps, IReadOnlyList<EvaluationRecord> Evaluations)
{
    /// <summary>The setting the run trains (its config's environment; toy-code when only the store knows the run).</summary>
    public string Setting => ConfigString("Environment") ?? Environments.ToyCode.ToyCodeEnvironment.EnvironmentName;

    /// <summary>What the setting's misbehaviour is called (a setting this gateway does not know shows its name).</summary>
    public Environments.Misbehaviour Misbehaviour =>
        Environments.Settings.Exists(Setting) ? Environments.Settings.Create(Setting).Misbehaviour : new Environments.Misbehaviour(Setting, $"misbehaved ({Setting})");

    /// <summary>The model folder the run trains from (its tokenizer decodes the run's token ids), or null for the organism.</summary>
    public string? ModelFolder => ConfigString("Checkpoint");

    string? ConfigString(string field)
    {
        if (ConfigJson is null) return null;
        try
        {
            using var config = System.Text.Json.JsonDocument.Parse(ConfigJson);
            return config.RootElement.TryGetProperty(field, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;   // a damaged config file: the page still shows, as the organism's
        }
    }
}
