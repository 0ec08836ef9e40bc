using Recontext.Recontextualizer.Host;

// The recontextualizer as a service of its own: judged batches in, training batches under f_train out.
try
{
    RecontextualizerHost.Build(args).Run();
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"recontext-recontextualizer: {e.Message}");
    Console.Error.WriteLine(RecontextualizerHost.Usage);
    return 2;
}
