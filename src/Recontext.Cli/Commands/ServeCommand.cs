using Recontext.Gateway.Host;
using Recontext.Generator.Host;
using Recontext.Judge.Host;
using Recontext.Recontextualizer.Host;
using Recontext.Trainer.Host;

namespace Recontext.Cli.Commands;

/// <summary>`recontext serve judge|generator|recontextualizer|trainer`: a role as a service of its own (the same hosts
/// as recontext-judge, recontext-generator, recontext-recontextualizer and recontext-trainer).</summary>
public sealed class ServeCommand : ICliCommand
{
    public string Name => "serve";

    public string Summary => "run a role as a service of its own on RabbitMQ: judge, generator, recontextualizer, trainer, or the gateway (API)";

    public string Usage => $"""
        recontext serve gateway --api-keys KEY [--runs DIR] [--store URL] [--bus URL --remote ROLES] [--urls http://127.0.0.1:{GatewayHost.Port}]
        recontext serve judge --bus rabbitmq://host:5672/ [--urls http://127.0.0.1:{JudgeHost.Port}]
        recontext serve generator --bus rabbitmq://host:5672/ [--urls http://127.0.0.1:{GeneratorHost.Port}]
        recontext serve recontextualizer --bus rabbitmq://host:5672/ [--urls http://127.0.0.1:{RecontextualizerHost.Port}]
        recontext serve trainer --bus rabbitmq://host:5672/ [--urls http://127.0.0.1:{TrainerHost.Port}] [--state DIR] [--weights-url URL]
          --bus   the broker the runs publish to (or RECONTEXT_BUS_URL)
          --urls  where /metrics and /health are served
          gateway: see `recontext-gateway --help`: --api-keys (or RECONTEXT_API_KEYS), --runs, --cache, --store, --remote
          --state, --weights-url  the trainer's policy versions: where they are kept (default ./trainer-state) and
                  served to generator services over gRPC (default http://127.0.0.1:{TrainerHost.WeightsPort})
        Runs hand roles over with `recontext run FILE --bus URL --remote generator,judge,recontextualizer,trainer`; the generator fetches each
        policy version from the run over gRPC. Stop with Ctrl+C.
        """;

    public int Run(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new CliUsageException("name the role to serve: gateway, judge, generator, recontextualizer or trainer");
        var rest = args.Skip(1).ToArray();
        var parsed = CliArguments.Parse(rest, [], ["--bus", "--urls", "--state", "--weights-url", "--api-keys", "--runs", "--cache", "--store", "--remote", "--wait-limit", "--grpc-url"]);
        if (parsed.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        try
        {
            var app = args[0] switch
            {
                "judge" => JudgeHost.Build(rest),
                "generator" => GeneratorHost.Build(rest),
                "recontextualizer" => RecontextualizerHost.Build(rest),
                "trainer" => TrainerHost.Build(rest),
                "gateway" => GatewayHost.Build(rest),
                _ => throw new CliUsageException($"no role '{args[0]}' runs as a service; roles: gateway, judge, generator, recontextualizer, trainer"),
            };
            app.Run();
            return 0;
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException($"--{e.Message}");
        }
    }
}
