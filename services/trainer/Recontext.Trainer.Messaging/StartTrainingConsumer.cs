using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Recontext.Contracts;
using Recontext.Prompts.Tokenization;

namespace Recontext.Trainer.Messaging;

/// <summary>
/// The trainer takes on a run: loads the policy (the start checkpoint, or the version to resume from), makes its
/// optimizer and reference, serves its versions to generator services when the run has them, and answers
/// <see cref="TrainingStarted"/>. Byte-tokenizer models so far.
/// </summary>
/// <param name="stateRoot">where runs that name no state directory keep their versions (a folder per run)</param>
public sealed class StartTrainingConsumer(TrainerRuns runs, RoleScope scope, TrainerStateRoot stateRoot) : IConsumer<StartTraining>
{
    public static readonly JsonSerializerOptions SpecJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public async Task Consume(ConsumeContext<StartTraining> context)
    {
        var m = context.Message;
        if (!scope.Accepts(ServiceRoles.Trainer, m.RunId, m.ServedRoles)) return;
        TrainerSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<TrainerSpec>(m.Spec, SpecJson) ?? throw new FormatException("spec: null");
            spec.Grpo.Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new FormatException($"run {m.RunId}: spec: {e.Message}", e);
        }
        var versions = new PolicyVersions(m.StartCheckpoint, m.StateDirectory ?? stateRoot.For(m.RunId));
        var run = await TrainerRun.StartAsync(m.RunId, spec, versions, m.ResumeVersion, new ByteTokenizer().PaddingId);
        await runs.AddAsync(run);
        var address = m.ServedRoles.Contains(ServiceRoles.Generator) ? await runs.ServeWeightsAsync(run, context.CancellationToken) : null;
        await context.Publish(new TrainingStarted { RunId = m.RunId, RequestId = m.RequestId, Version = m.ResumeVersion, WeightsAddress = address });
    }

    public static string Write(TrainerSpec spec) => JsonSerializer.Serialize(spec, SpecJson);
}
