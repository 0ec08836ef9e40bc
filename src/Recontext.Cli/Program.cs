using Recontext.Cli;
using Recontext.Cli.Commands;

var commands = new CommandSet([new JudgeCommand(), new TasksCommand(), new BenchCommand()]);
return commands.Run(args);
