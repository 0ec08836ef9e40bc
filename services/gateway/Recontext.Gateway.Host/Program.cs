using Recontext.Gateway.Host;
using Recontext.Hosting;

// The gateway as a service of its own: submits, runs, streams and stops experiments over its REST API.
// It carries no libtorch: the generator and the trainer are services (`recontext serve gateway` can hold every role).
return HostProgram.Run(args, "recontext-gateway", a => GatewayHost.Build(a, torch: false), GatewayHost.Usage);
