using Recontext.Generator.Host;

// The generator as a service of its own: samples rollouts for runs on RabbitMQ with policies fetched over gRPC.
try
{
    GeneratorHost.Build(args).Run();
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"recontext-generator: {e.Message}");
    Console.Error.WriteLine(GeneratorHost.Usage);
    return 2;
}
