using Recontext.Gateway.Host;

// The gateway: submits, runs, streams and stops experiments over its REST API.
try
{
    GatewayHost.Build(args).Run();
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"recontext-gateway: {e.Message}");
    Console.Error.WriteLine(GatewayHost.Usage);
    return 2;
}
