using Recontext.Cli;
using Recontext.Cli.Commands;
using Recontext.Cli.Commands.Models;
using Recontext.Cli.Gateway;
using Spectre.Console;

// Tables wrap at 80 columns when output is redirected (CI logs, files); give them room instead.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 180;

var root = CliApp.Root([new DemoCommand(), new RunCommand(), new SweepCommand(), new PretrainToyCommand(), new JudgeCommand(), new TasksCommand(), new BenchCommand(), new ServeCommand(),
    new UpCommand(), new DownCommand(), new SubmitCommand(), new RunsCommand(), new WatchCommand(), new StopCommand(), new RolloutsCommand(), new ModelCommand(), new GenerateCommand(), new ProbeCommand(), new RestartCommand(), new AnalyzeCommand()]);
return CliApp.Run(root, args);
