using Recontext.Judge.Host;

// The judge as a service of its own: scores rollouts from RabbitMQ, serves /metrics and /health.
try
{
    JudgeHost.Build(args).Run();
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"recontext-judge: {e.Message}");
    Console.Error.WriteLine(JudgeHost.Usage);
    return 2;
}
