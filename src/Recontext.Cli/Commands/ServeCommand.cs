using Recontext.Generator.Host;
using Recontext.Judge.Host;
using Recontext.Recontextualizer.Host;

namespace Recontext.Cli.Commands;

/// <summary>`recontext serve judge|generator|recontextualizer`: a role as a service of its own (the same hosts as
/// recontext-judge, recontext-generator and recontext-recontextualizer).</summary>
public sealed class ServeCommand : ICliCommand
{
    public string Name => "serve";

    public string Summary => "run a role as a service of its own on RabbitMQ: judge, generator or recontextualizer (/metrics, /health)";

    public string Usage => $"""
        recontext serve judge --bus rabbitmq://host:5672/ [--urls http://0.0.0.0:{JudgeHost.Port}]
        recontext serve generator --bus rabbitmq://host:5672/ [--urls http://0.0.0.0:{GeneratorHost.Port}]
        recontext serve recontextualizer --bus rabbitmq://host:5672/ [--urls http://0.0.0.0:{RecontextualizerHost.Port}]
          --bus   the broker the runs publish to (or RECONTEXT_BUS_URL)
          --urls  where /metrics and /health are served
        Runs hand roles over with `recontext run FILE --bus URL --remote judge,generator,recontextualizer`; the generator fetches each
        policy version from the run over gRPC. Stop with Ctrl+C.
        """;

    public int Run(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new CliUsageException("name the role to serve: judge, generator or recontextualizer");
        var rest = args.Skip(1).ToArray();
        var parsed = CliArguments.Parse(rest, [], ["--bus", "--urls"]);
        if (parsed.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        try
        {
            var app = args[0] switch
            {
                "judge" => JudgeHost.Build(rest),
                "generator" => GeneratorHost.Build(rest),
                "recontextualizer" => RecontextualizerHost.Build(rest),
                _ => throw new CliUsageException($"no role '{args[0]}' runs as a service; roles: judge, generator, recontextualizer"),
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
