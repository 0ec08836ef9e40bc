using System.CommandLine;
using System.Globalization;
using Recontext.Organism;
using Recontext.Runs.Demo;

namespace Recontext.Cli.Commands;

/// <summary>
/// Worker mode of the demo and of sweeps: `recontext demo|sweep ... --worker-arm VARIANT --worker-seed S --worker-base DIR`
/// runs one arm and prints only progress lines; the parent starts one per arm (<see cref="WorkerProcessExecutor"/>).
/// </summary>
static class DemoWorker
{
    public const string ArmOption = "--worker-arm";
    public const string SeedOption = "--worker-seed";
    public const string BaseOption = "--worker-base";

    /// <summary>Which arm a worker runs, from the hidden options its parent gives it.</summary>
    public sealed record Arm(string Variant, long Seed, string BaseDirectory);

    /// <summary>The hidden options of worker mode.</summary>
    public sealed class WorkerOptions
    {
        readonly Option<string?> arm = new(ArmOption) { Hidden = true };
        readonly Option<long?> seed = new(SeedOption) { Hidden = true };
        readonly Option<string?> baseDirectory = new(BaseOption) { Hidden = true };

        public void AddTo(Command command)
        {
            command.Options.Add(arm);
            command.Options.Add(seed);
            command.Options.Add(baseDirectory);
            command.Validators.Add(result =>
            {
                if (result.GetValue(arm) is not null && (result.GetValue(seed) is null || result.GetValue(baseDirectory) is null))
                    result.AddError($"{ArmOption} needs {SeedOption} and {BaseOption}");
            });
        }

        public bool Requested(ParseResult parsed) => parsed.GetValue(arm) is not null;

        public Arm Read(ParseResult parsed) => new(parsed.GetValue(arm)!, parsed.GetValue(seed)!.Value, parsed.GetValue(baseDirectory)!);
    }

    public static WorkerOptions Options() => new();

    /// <summary>Runs one arm here, printing only progress lines for the parent.</summary>
    public static int Run(DemoRunner runner, Arm arm)
    {
        var progress = new SynchronousProgress<Runs.RunLoop.Progress>(p => Console.Out.WriteLine(WorkerProcessExecutor.FormatProgress(p)));
        runner.RunArmHereAsync(runner.Arm(arm.Variant, arm.Seed), progress, CancellationToken.None).GetAwaiter().GetResult();
        return 0;
    }

    /// <summary>Starts this program in worker mode for each arm.</summary>
    /// <param name="command">the command words and options that make the same runner in the worker (e.g. demo --out DIR ...)</param>
    public static WorkerProcessExecutor Executor(string baseDirectory, int workers, Func<DemoArm, IEnumerable<string>> command)
    {
        // Run as an app host (recontext's binary) or as `dotnet Recontext.Cli.dll`.
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell this program's path to start workers");
        bool viaDotnet = Path.GetFileNameWithoutExtension(processPath) == "dotnet";
        var entry = typeof(DemoWorker).Assembly.Location;
        return new WorkerProcessExecutor(processPath, arm =>
        {
            var args = new List<string>();
            if (viaDotnet) args.Add(entry);
            args.AddRange(command(arm));
            args.AddRange([ArmOption, arm.Variant.Name, SeedOption, arm.Seed.ToString(CultureInfo.InvariantCulture), BaseOption, baseDirectory]);
            return args;
        }, threadsPerWorker: Math.Max(1, Environment.ProcessorCount / workers));
    }

    /// <summary>The demo's own worker command.</summary>
    public static IEnumerable<string> DemoCommand(DemoOptions options)
    {
        var args = new List<string>
        {
            "demo", "--out", options.OutputDirectory, "--seeds", options.Seeds.ToString(CultureInfo.InvariantCulture),
            "--first-seed", options.FirstSeed.ToString(CultureInfo.InvariantCulture), "--setting", options.Setting,
            "--base-seed", options.BaseSeed.ToString(CultureInfo.InvariantCulture),
        };
        if (options.Quick) args.Add("--quick");
        if (options.VariantNames is { } names) args.AddRange(["--variants", string.Join(",", names)]);
        if (options.Steps is int steps) args.AddRange(["--steps", steps.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(DeploymentArgs(options.Deployment));
        return args;
    }

    /// <summary>The store and bus a worker's runs use, as the worker's options.</summary>
    public static IEnumerable<string> DeploymentArgs(Runs.RunDeployment deployment) =>
        [.. deployment.StoreUrl is { } store ? ["--store", store] : Array.Empty<string>(), .. deployment.BusUrl is { } bus ? ["--bus", bus] : Array.Empty<string>()];

    /// <summary>Reports on the calling thread, so progress lines come out in order.</summary>
    sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
