using System.CommandLine;
using System.Globalization;
using Recontext.Runs.Analysis;
using Recontext.Runs.Config;
using Recontext.Runs.Demo;
using Recontext.Runs.Sweeps;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>`recontext analyze PLAN FOLDER`: a pre-registered analysis plan run on a sweep or demo folder.</summary>
public sealed class AnalyzeCommand : ICliCommand
{
    public Command Build()
    {
        var plan = new Argument<string>("PLAN") { Description = "the analysis plan (YAML: name, step, metric, alpha, correction, endpoints [{variant, reference, evalContext}]), committed before the runs" };
        var folder = new Argument<string>("FOLDER") { Description = "a sweep or demo folder (runs/<point>/seed-<n>/evaluations.csv)" };
        var command = new Command("analyze", "the plan's primary endpoints (two-sided paired t over seeds, Holm-adjusted, which hold at its alpha) and, " +
                                             "labelled exploratory, every other point against the plan's references (unadjusted); writes FOLDER/analysis-<plan name>.csv")
        {
            plan, folder,
        };
        command.SetAction(parsed =>
        {
            PlanAnalysis.Result result;
            try
            {
                result = PlanAnalysis.Run(AnalysisPlan.Load(parsed.GetValue(plan)!), SweepFolder.Read(parsed.GetValue(folder)!));
            }
            catch (Exception e) when (e is ExperimentException or ArgumentException)
            {
                throw new CliUsageException(e.Message);
            }
            Print(AnsiConsole.Console, result);
            var path = Path.Combine(parsed.GetValue(folder)!, $"analysis-{result.Plan.Name}.csv");
            File.WriteAllLines(path, Csv(result));
            AnsiConsole.Console.WriteLine($"written to {path}");
            return 0;
        });
        return command;
    }

    static string F(double? v, string format = "0.000") => v is double d ? d.ToString(format, CultureInfo.InvariantCulture) : "-";

    static string Interval(PairedTTest? t) => t is null ? "fewer than 2 seeds" : $"{PairedDifference.Signed(t.Mean)} [{PairedDifference.Signed(t.Low)}, {PairedDifference.Signed(t.High)}]";

    static void Print(IAnsiConsole console, PlanAnalysis.Result result)
    {
        var plan = result.Plan;
        var primary = new Table().Title($"{plan.Name}: primary endpoints ({plan.Metric}, step {plan.Step?.ToString(CultureInfo.InvariantCulture) ?? "last"}, " +
                                         $"paired t, {(plan.Correction == AnalysisPlan.PlanCorrection.Holm ? "Holm-adjusted" : "unadjusted")}, alpha {F(plan.Alpha, "0.###")})")
            .AddColumns("variant − reference", "eval", "seeds", "difference [[95 %]]", "t", "p", "adjusted p", "holds");
        foreach (var e in result.Endpoints)
            primary.AddRow(Markup.Escape($"{e.Endpoint.Variant} − {e.Endpoint.Reference}"), Markup.Escape(e.Endpoint.EvalContext), $"{e.Test?.Seeds ?? 0}",
                Markup.Escape(Interval(e.Test)), F(e.Test?.T, "0.00"), F(e.Test?.P, "0.0000"), F(e.AdjustedP, "0.0000"), e.Holds ? "[green]yes[/]" : "no");
        console.Write(primary);
        var others = new Table().Title("exploratory (not in the plan; unadjusted p)").AddColumns("variant − reference", "eval", "seeds", "difference [[95 %]]", "p");
        foreach (var o in result.Others)
            others.AddRow(Markup.Escape($"{o.Variant} − {o.Reference}"), Markup.Escape(o.EvalContext), $"{o.Test?.Seeds ?? 0}", Markup.Escape(Interval(o.Test)), F(o.Test?.P, "0.0000"));
        console.Write(others);
    }

    static IEnumerable<string> Csv(PlanAnalysis.Result result)
    {
        yield return "kind,variant,reference,eval_context,seeds,diff_mean,ci95_low,ci95_high,t,p,p_adjusted,holds";
        foreach (var e in result.Endpoints)
            yield return string.Join(",", "primary", e.Endpoint.Variant, e.Endpoint.Reference, e.Endpoint.EvalContext, e.Test?.Seeds ?? 0, F(e.Test?.Mean, "R"), F(e.Test?.Low, "R"),
                F(e.Test?.High, "R"), F(e.Test?.T, "R"), F(e.Test?.P, "R"), F(e.AdjustedP, "R"), e.Holds ? "true" : "false");
        foreach (var o in result.Others)
            yield return string.Join(",", "exploratory", o.Variant, o.Reference, o.EvalContext, o.Test?.Seeds ?? 0, F(o.Test?.Mean, "R"), F(o.Test?.Low, "R"),
                F(o.Test?.High, "R"), F(o.Test?.T, "R"), F(o.Test?.P, "R"), "", "");
    }
}
