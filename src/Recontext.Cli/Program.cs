using Recontext.Cli;
using Recontext.Cli.Commands;

var commands = new CommandSet([new BenchCommand()]);
return commands.Run(args);
