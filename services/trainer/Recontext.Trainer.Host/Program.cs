using Recontext.Hosting;
using Recontext.Trainer.Host;

// The trainer as a service of its own: training batches in, policy versions out (saved, and served over gRPC).
return HostProgram.Run(args, "recontext-trainer", TrainerHost.Build, TrainerHost.Usage);
