using System.Globalization;
using Recontext.Organism;
using Recontext.Runs.Demo;

namespace Recontext.Cli.Commands;

/// <summary>
/// The demo's worker mode: `recontext demo --worker-arm VARIANT --worker-seed S --worker-base DIR --out DIR ...` runs
/// one arm and prints only progress lines; the parent starts one per arm (<see cref="WorkerProcessExecutor"/>).
/// </summary>
static class DemoWorker
{
    public const string ArmOption = "--worker-arm";
    public const string SeedOption = "--worker-seed";
    public const string BaseOption = "--worker-base";

    public static int Run(CliArguments parsed, DemoOptions options, BaseModelOptions baseModel)
    {
        var baseDirectory = parsed.Get(BaseOption) ?? throw new CliUsageException($"{ArmOption} needs {BaseOption}");
        var seedText = parsed.Get(SeedOption) ?? throw new CliUsageException($"{ArmOption} needs {SeedOption}");
        long seed = long.TryParse(seedText, CultureInfo.InvariantCulture, out var s) ? s : throw new CliUsageException($"{SeedOption} must be an integer, got '{seedText}'");
        var runner = new DemoRunner(options, baseDirectory, baseModel);
        var arm = runner.Arm(parsed.Get(ArmOption)!, seed);
        var progress = new SynchronousProgress<Runs.RunLoop.Progress>(p => Console.Out.WriteLine(WorkerProcessExecutor.FormatProgress(p)));
        runner.RunArmHereAsync(arm, progress, CancellationToken.None).GetAwaiter().GetResult();
        return 0;
    }

    /// <summary>Starts this program in worker mode for each arm.</summary>
    public static WorkerProcessExecutor Executor(DemoOptions options, string baseDirectory, int workers)
    {
        // Run as an app host (recontext's binary) or as `dotnet Recontext.Cli.dll`.
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this program's path to start workers");
        bool viaDotnet = Path.GetFileNameWithoutExtension(processPath) == "dotnet";
        var entry = typeof(DemoWorker).Assembly.Location;
        return new WorkerProcessExecutor(processPath, arm =>
        {
            var args = new List<string>();
            if (viaDotnet) args.Add(entry);
            args.AddRange(["demo", ArmOption, arm.Variant.Name, SeedOption, arm.Seed.ToString(CultureInfo.InvariantCulture), BaseOption, baseDirectory,
                "--out", options.OutputDirectory, "--seeds", options.Seeds.ToString(CultureInfo.InvariantCulture),
                "--first-seed", options.FirstSeed.ToString(CultureInfo.InvariantCulture)]);
            if (options.Quick) args.Add("--quick");
            if (options.Steps is int steps) args.AddRange(["--steps", steps.ToString(CultureInfo.InvariantCulture)]);
            if (options.Deployment.StoreUrl is not null) args.AddRange(["--store", options.Deployment.StoreUrl]);
            if (options.Deployment.BusUrl is not null) args.AddRange(["--bus", options.Deployment.BusUrl]);
            return args;
        }, threadsPerWorker: Math.Max(1, Environment.ProcessorCount / workers));
    }

    /// <summary>Reports on the calling thread, so progress lines come out in order.</summary>
    sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
