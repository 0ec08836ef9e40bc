namespace Recontext.Generator.Messaging;

/// <summary>Names this generator in the chunks it answers (<see cref="Contracts.RolloutsGenerated.Worker"/>): host,
/// process and where it serves, so a run can tell how its steps were shared among replicas.</summary>
public sealed record GeneratorWorker(string Name)
{
    /// <param name="where">where the generator serves (its URLs); an instance id tells apart hosts of one process</param>
    public static GeneratorWorker Of(string where) => new($"{Environment.MachineName}:{Environment.ProcessId}#{Guid.NewGuid().ToString("N")[..4]} {where}");
}
