using System.CommandLine;
using Recontext.Environments;
using Recontext.Environments.ToyCode;
using Recontext.Judge.Files;

namespace Recontext.Cli.Commands;

/// <summary>`recontext tasks`: writes a setting's task rows (JSONL) for inspection or for `recontext judge`.</summary>
public sealed class TasksCommand : ICliCommand
{
    public Command Build()
    {
        var split = new Option<string>("--split")
        {
            Description = "train, eval (held-out tasks of the training families) or held-out (new families)", DefaultValueFactory = _ => "train",
        };
        split.AcceptOnlyFromAmong("train", "eval", "held-out");
        var count = CliOptions.Int("--count", "number of tasks (default 10)");
        var seed = new Option<int>("--seed") { Description = "task seed (default 0)" };
        var fraction = new Option<double>("--hackable-fraction") { Description = "toy-code: share of tasks with a wrong visible test (default 1)", DefaultValueFactory = _ => 1.0 };
        var setting = new Option<string>("--setting") { Description = "the setting whose tasks to write", DefaultValueFactory = _ => ToyCodeEnvironment.EnvironmentName };
        setting.AcceptOnlyFromAmong([.. Environments.Settings.Names.Where(n => !Environments.Settings.PythonSettings.Contains(n))]);   // mbpp's rows are its data file
        var command = new Command("tasks", "write a setting's task rows as JSONL (inputs for `recontext judge --env SETTING`)") { split, count, seed, fraction, setting };
        command.SetAction(parsed =>
        {
            var which = parsed.GetValue(split) switch { "eval" => TaskSplit.Eval, "held-out" => TaskSplit.HeldOutFamilies, _ => TaskSplit.Train };
            IEnvironment environment;
            try
            {
                environment = Environments.Settings.Create(parsed.GetValue(setting)!, new Environments.SettingOptions { ToyCode = new ToyCodeOptions { HackableFraction = parsed.GetValue(fraction) } });
            }
            catch (ArgumentException e)
            {
                throw new CliUsageException(e.Message);
            }
            foreach (var task in environment.SampleTasks(which, parsed.GetValue(count) ?? 10, parsed.GetValue(seed)))
                Console.WriteLine(environment.EncodeTask(task).ToJsonString(JsonLines.Options));
            return 0;
        });
        return command;
    }
}
