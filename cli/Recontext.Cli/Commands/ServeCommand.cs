using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Recontext.Gateway.Host;
using Recontext.Generator.Host;
using Recontext.Judge.Host;
using Recontext.Recontextualizer.Host;
using Recontext.Trainer.Host;

namespace Recontext.Cli.Commands;

/// <summary>`recontext serve gateway|judge|generator|recontextualizer|trainer`: a role as a service of its own (the same
/// hosts as recontext-gateway, recontext-judge, recontext-generator, recontext-recontextualizer and recontext-trainer).
/// Each role's options are declared here for help, validation and completion, and handed to its host, which reads
/// the same names from its configuration (and the RECONTEXT_* environment variables).</summary>
public sealed class ServeCommand : ICliCommand
{
    public Command Build()
    {
        var command = new Command("serve", "run a role as a service of its own on RabbitMQ (judge, generator, recontextualizer, trainer) or the " +
                                           "gateway (API); runs hand roles over with `recontext run FILE --bus URL --remote ROLES`; stop with Ctrl+C");
        (string Name, string Description)[] bus =
        [
            ("--bus", "the broker the runs publish to (or RECONTEXT_BUS_URL)"),
            ("--urls", "where /metrics, /health and /alive are served (loopback by default; http://0.0.0.0:PORT serves other machines)"),
        ];
        command.Subcommands.Add(Role("judge", $"the judge: scores batches in the sandbox (port {JudgeHost.Port})", JudgeHost.Build, bus));
        command.Subcommands.Add(Role("generator", $"a generator replica: samples chunks with policy versions fetched over gRPC (port {GeneratorHost.Port})",
            GeneratorHost.Build, bus));
        command.Subcommands.Add(Role("recontextualizer", $"the recontextualizer: judged batches in, training batches under f_train out (port {RecontextualizerHost.Port})",
            RecontextualizerHost.Build, bus));
        command.Subcommands.Add(Role("trainer", $"the trainer: owns each run's policy, saves its versions, serves them over gRPC (port {TrainerHost.Port})", TrainerHost.Build,
        [
            .. bus,
            ("--state", "where the policy versions are kept (default ./trainer-state; or RECONTEXT_TRAINER_STATE)"),
            ("--weights-url", $"where versions are served to generator services over gRPC (default http://127.0.0.1:{TrainerHost.WeightsPort})"),
        ]));
        command.Subcommands.Add(Role("gateway", $"the gateway: the runs' coordinator and their REST and gRPC API (port {GatewayHost.Port})", a => GatewayHost.Build(a),
        [
            ("--api-keys", "keys for calls that change runs, 16+ characters (or RECONTEXT_API_KEYS); none: the gateway only reads (loopback only)"),
            ("--runs", "where each run's results folder goes, and the folder the dashboard shows: every run under it, demos and sweeps " +
                       "included (default runs/gateway)"),
            ("--cache", "the organism's base-model cache (default .cache/organism)"),
            ("--store", "runs and traces in MongoDB (mongodb://...; or RECONTEXT_STORE_URL)"),
            ("--name", "this gateway's name in the store (default gateway)"),
            ("--bus", "the roles' broker (rabbitmq://...; or RECONTEXT_BUS_URL); absent: in memory, every role in this process"),
            ("--remote", "roles that services serve on that broker: generator, judge, recontextualizer, trainer"),
            ("--wait-limit", "seconds a step may wait for a role served elsewhere (default 300)"),
            ("--weights-url", "where an in-process trainer serves policy versions over gRPC"),
            ("--urls", $"where the REST API, the dashboard, /metrics, /health and /alive are served (default http://127.0.0.1:{GatewayHost.Port})"),
            ("--reads", "open (anyone may read runs and open the dashboard) or key (reads need an API key); default: open on loopback, key otherwise"),
            ("--grpc-url", "where the gRPC run API is served, HTTP/2 (default http://127.0.0.1:8090)"),
            ("--max-queued", "runs waiting to start at most; a submit beyond it is refused with HTTP 429 (default 100)"),
            ("--allowed-hosts", "Host header values answered, ';'-separated (default on loopback: localhost;127.0.0.1;[::1], against DNS rebinding; else any)"),
        ]));
        return command;
    }

    static Command Role(string name, string description, Func<string[], WebApplication> build, (string Name, string Description)[] settings)
    {
        var options = settings.Select(s => CliOptions.Text(s.Name, s.Description)).ToList();
        var command = new Command(name, description);
        foreach (var option in options) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var args = options.Where(o => parsed.GetValue(o) is not null).SelectMany(o => new[] { o.Name, parsed.GetValue(o)! }).ToArray();
            try
            {
                build(args).Run();
                return 0;
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException($"--{e.Message}");
            }
        });
        return command;
    }
}
