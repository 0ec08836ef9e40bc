using System.Diagnostics;
using Recontext.Runs;
using Recontext.Runs.Demo;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>A demo or sweep on several organism bases (`--bases K`): the whole of it on each base, pre-trained from
/// its own seed, in DIR/base-&lt;seed&gt;/, then every comparison paired within base and seed with the base as the unit
/// (DIR/bases.csv) and its tables.</summary>
static class OnSeveralBases
{
    /// <param name="what">"demo" or "sweep", for the messages</param>
    /// <param name="references">the variants every other is compared with, and what the tables call them</param>
    /// <param name="runOnBase">runs everything on the base of a pre-training seed into a folder; returns its runner and results</param>
    public static int Run(string what, string directory, long firstBaseSeed, int count, int seeds, IReadOnlyList<(string Variant, string Label)> references,
        Func<long, string, (DemoRunner Runner, IReadOnlyList<RunResult> Results)> runOnBase, IAnsiConsole console)
    {
        var watch = Stopwatch.StartNew();
        var results = new List<RunResult>();
        IReadOnlyList<DemoVariant> variants = [];
        for (int k = 0; k < count; k++)
        {
            long seed = firstBaseSeed + k;
            console.Write(new Rule($"base {k + 1} of {count}: pre-training seed {seed}"));
            var (runner, baseResults) = runOnBase(seed, DemoOptions.BaseFolder(directory, seed));
            variants = runner.Variants;
            results.AddRange(baseResults);
        }
        var spread = BaseSpread.Of(results.Select(r => new BaseSpread.Final(r.Config.Base.Seed, r.Config.Name, r.Config.Seed, r.Final)).ToList(),
            references.Select(r => r.Variant).ToList());
        BaseSpread.WriteAsync(directory, spread).GetAwaiter().GetResult();
        console.Write(new Rule($"{count} bases × {seeds} seeds"));
        DemoReport.PrintBases(spread, results, variants, references, console);
        console.WriteLine($"{what} on {count} bases finished in {watch.Elapsed.TotalMinutes:F1} min; results in {directory} ({BaseSpread.File}, and base-<seed>/ per base)");
        return 0;
    }
}
