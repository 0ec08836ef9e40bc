using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Recontext.Contracts;
using Recontext.Hosting;
using Recontext.Trainer.Messaging;

namespace Recontext.Trainer.Host;

/// <summary>
/// The trainer service: holds each run's policy, optimizer and reference (<see cref="StartTrainingConsumer"/>),
/// applies each training batch once (<see cref="TrainPolicyConsumer"/>), saves every policy version under its state
/// folder and serves the versions to generator services over gRPC.
/// </summary>
public static class TrainerHost
{
    public static readonly string QueueName = ServiceRoles.Queue(ServiceRoles.Trainer);
    public const int Port = 8084;
    public const int WeightsPort = 8094;

    public static string Usage => RoleHost.Usage("recontext-trainer", Port) + $"""

          --state        where runs keep their policy versions (a folder per run; or RECONTEXT_TRAINER_STATE; default ./trainer-state)
          --weights-url  where generator services fetch the versions over gRPC (or RECONTEXT_WEIGHTS_URL; default http://127.0.0.1:{WeightsPort})
        """;

    public static WebApplication Build(string[] args) =>
        RoleHost.Build(args, "trainer", QueueName, Port, [typeof(StartTrainingConsumer), typeof(TrainPolicyConsumer), typeof(StopTrainingConsumer)], (services, configuration) =>
        {
            services.AddSingleton(new TrainerRuns(configuration["weights-url"] ?? Environment.GetEnvironmentVariable("RECONTEXT_WEIGHTS_URL") ?? $"http://127.0.0.1:{WeightsPort}",
                new TrainerStateRoot(Path.GetFullPath(configuration["state"] ?? Environment.GetEnvironmentVariable("RECONTEXT_TRAINER_STATE") ?? "trainer-state"))));
        });
}
