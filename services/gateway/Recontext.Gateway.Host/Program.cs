using Recontext.Hosting;
using Recontext.Gateway.Host;

// The gateway as a service of its own: submits, runs, streams and stops experiments over its REST API.
return HostProgram.Run(args, "recontext-gateway", GatewayHost.Build, GatewayHost.Usage);
