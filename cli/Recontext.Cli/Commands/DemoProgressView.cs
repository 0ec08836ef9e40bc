using Recontext.Runs;
using Recontext.Runs.Demo;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>The demo's progress display: one bar for the whole demo and one line per worker slot.</summary>
static class DemoProgressView
{
    public static (IReadOnlyList<DemoRow> Rows, IReadOnlyList<RunResult> Results) Run(DemoRunner runner, IDemoArmExecutor executor, int workers, IAnsiConsole console,
        string label = "demo")
    {
        (IReadOnlyList<DemoRow>, IReadOnlyList<RunResult>) result = default;
        console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn()).Start(ctx =>
        {
            int runs = runner.Arms().Count;
            var total = ctx.AddTask(label, maxValue: runs);
            var slots = Enumerable.Range(0, workers).Select(i => ctx.AddTask(SlotName(i, workers, "waiting"), maxValue: 1)).ToArray();
            // Fractions of the runs in flight, so the overall bar moves within runs too.
            var within = new double[workers];
            var gate = new object();
            result = runner.RunAsync(executor, workers, new Progress<DemoRunner.Progress>(p =>
            {
                lock (gate)
                {
                    var slot = slots[p.Slot];
                    if (p.Done)
                    {
                        within[p.Slot] = 0;
                        slot.Value = 1;
                        slot.Description = SlotName(p.Slot, workers, $"{p.Arm.Label} done");
                    }
                    else
                    {
                        var step = p.Step;
                        within[p.Slot] = step is { Steps: > 0 } s ? (double)Math.Max(0, s.Step - 1) / s.Steps : 0;
                        slot.Value = within[p.Slot];
                        slot.Description = SlotName(p.Slot, workers, step is null ? $"{p.Arm.Label} starting" : $"{p.Arm.Label} step {step.Step}/{step.Steps} {step.Phase}");
                    }
                    total.Value = p.Finished + within.Sum();
                    total.Description = $"{label}: {p.Finished}/{runs} runs finished";
                }
            })).GetAwaiter().GetResult();
            total.Value = runs;
        });
        return result;
    }

    static string SlotName(int slot, int workers, string text) => Markup.Escape(workers == 1 ? text : $"  worker {slot + 1}: {text}");
}
