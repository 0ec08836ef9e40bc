using System.Text.Json;

namespace Recontext.Cli.Cluster;

/// <summary>What `recontext up` started and where, kept as <see cref="FileName"/> in the cluster's folder so that
/// `recontext down` stops exactly those processes.</summary>
public sealed record ClusterState(string BusUrl, string? StoreUrl, string GatewayUrl, string ApiKey, IReadOnlyList<ClusterProcess> Processes)
{
    public const string FileName = "cluster.json";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public void Save(string directory)
    {
        var path = Path.Combine(directory, FileName);
        // It holds the API key: readable by its owner only.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.Delete(path + ".partial");   // the mode applies to a file it creates
        using (var file = new FileStream(path + ".partial", options))
        using (var writer = new StreamWriter(file)) writer.Write(JsonSerializer.Serialize(this, Json));
        File.Move(path + ".partial", path, overwrite: true);
    }

    public static ClusterState? Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<ClusterState>(File.ReadAllText(path), Json) : null;
    }
}
