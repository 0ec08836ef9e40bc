using Recontext.Trainer.Host;

// The trainer as a service of its own: training batches in, policy versions out (saved, and served over gRPC).
try
{
    TrainerHost.Build(args).Run();
    return 0;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"recontext-trainer: {e.Message}");
    Console.Error.WriteLine(TrainerHost.Usage);
    return 2;
}
