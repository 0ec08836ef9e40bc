using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Recontext.Contracts;

namespace Recontext.Trainer.Messaging;

/// <summary>
/// The trainer takes on a run: loads the policy (the start checkpoint, or the version to resume from), makes its
/// optimizer and reference, serves its versions to generator services when the run has them, and answers
/// <see cref="TrainingStarted"/>. Byte-tokenizer models so far.
/// </summary>
public sealed class StartTrainingConsumer(TrainerRuns runs) : IConsumer<StartTraining>
{
    public static readonly JsonSerializerOptions SpecJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public async Task Consume(ConsumeContext<StartTraining> context)
    {
        var m = context.Message;
        var (run, address) = await runs.StartAsync(m, context.CancellationToken);
        await context.Publish(new TrainingStarted { RunId = m.RunId, RequestId = m.RequestId, Version = m.ResumeVersion, WeightsAddress = address, Policy = run.Holding });
    }

    public static string Write(TrainerSpec spec) => JsonSerializer.Serialize(spec, SpecJson);

    /// <exception cref="FormatException">not a trainer spec (the message names the run)</exception>
    public static TrainerSpec Read(string runId, string json)
    {
        try
        {
            var spec = JsonSerializer.Deserialize<TrainerSpec>(json, SpecJson) ?? throw new FormatException("spec: null");
            spec.Grpo.Validate();
            return spec;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new FormatException($"run {runId}: spec: {e.Message}", e);
        }
    }
}
