using Recontext.Hosting;
using Recontext.Recontextualizer.Host;

// The recontextualizer as a service of its own: judged batches in, training batches under f_train out.
return HostProgram.Run(args, "recontext-recontextualizer", RecontextualizerHost.Build, RecontextualizerHost.Usage);
