using Recontext.Hosting;
using Recontext.Judge.Host;

// The judge as a service of its own: scores rollouts from RabbitMQ, serves /metrics and /health.
return HostProgram.Run(args, "recontext-judge", JudgeHost.Build, JudgeHost.Usage);
