using Recontext.Generator.Host;
using Recontext.Hosting;

// The generator as a service of its own: samples rollouts for runs on RabbitMQ with policies fetched over gRPC.
return HostProgram.Run(args, "recontext-generator", GeneratorHost.Build, GeneratorHost.Usage);
