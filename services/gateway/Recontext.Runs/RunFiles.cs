using System.Text.Json;

namespace Recontext.Runs;

/// <summary>
/// A run's files in its results folder: run-config.json, and metrics.csv and evaluations.csv appended row by row
/// (flushed each time, so a stop loses at most the row being written). On resume the rows of completed steps are
/// kept and anything a stopped step left behind is dropped.
/// </summary>
public sealed class RunFiles : IDisposable
{
    public const string ConfigFile = "run-config.json";
    public const string MetricsFile = "metrics.csv";
    public const string EvaluationsFile = "evaluations.csv";

    readonly StreamWriter metrics;
    readonly StreamWriter evaluations;

    public List<StepRecord> Steps { get; }
    public List<EvaluationRecord> Evaluations { get; }

    /// <summary>The resolved config as written (what the trace store keeps with the run).</summary>
    public string ConfigJson { get; }

    readonly IRunListener? listener;

    RunFiles(string directory, RunConfig config, int? completed, IRunListener? listener)
    {
        this.listener = listener;
        ConfigJson = JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(Path.Combine(directory, ConfigFile), ConfigJson);
        var metricsPath = Path.Combine(directory, MetricsFile);
        var evaluationsPath = Path.Combine(directory, EvaluationsFile);
        Steps = completed is int c1 ? Kept(metricsPath, StepRecord.Parse, r => r.Step <= c1) : [];
        Evaluations = completed is int c2 ? Kept(evaluationsPath, EvaluationRecord.Parse, r => r.Step <= c2) : [];
        metrics = Rewrite(metricsPath, StepRecord.Header, Steps.Select(r => r.ToCsv()));
        evaluations = Rewrite(evaluationsPath, EvaluationRecord.Header, Evaluations.Select(r => r.ToCsv()));
    }

    /// <param name="completed">the last completed step when resuming, else null (a fresh start)</param>
    /// <param name="listener">hears every record appended from now on</param>
    public static RunFiles Open(string directory, RunConfig config, int? completed, IRunListener? listener = null) => new(directory, config, completed, listener);

    public void Append(StepRecord record)
    {
        Steps.Add(record);
        metrics.WriteLine(record.ToCsv());
        metrics.Flush();
        listener?.OnStep(record);
    }

    public void Append(int step, IEnumerable<Evaluation.ContextRates> rates)
    {
        foreach (var r in rates)
        {
            var record = new EvaluationRecord(step, r);
            Evaluations.Add(record);
            evaluations.WriteLine(record.ToCsv());
            listener?.OnEvaluation(record);
        }
        evaluations.Flush();
    }

    /// <summary>The steps and evaluations written in <paramref name="directory"/> (all rows that parse).</summary>
    public static (List<StepRecord> Steps, List<EvaluationRecord> Evaluations) Read(string directory) =>
        (Kept(Path.Combine(directory, MetricsFile), StepRecord.Parse, _ => true), Kept(Path.Combine(directory, EvaluationsFile), EvaluationRecord.Parse, _ => true));

    static StreamWriter Rewrite(string path, string header, IEnumerable<string> rows)
    {
        var writer = new StreamWriter(path);
        writer.WriteLine(header);
        foreach (var row in rows) writer.WriteLine(row);
        writer.Flush();
        return writer;
    }

    /// <summary>The records of a CSV file that <paramref name="keep"/> accepts. A line cut short by a process killed while
    /// writing it is dropped (the resumed step writes it again), never allowed to stop the resume.</summary>
    static List<T> Kept<T>(string path, Func<string, T> parse, Func<T, bool> keep)
    {
        if (!File.Exists(path)) return [];
        var kept = new List<T>();
        foreach (var line in File.ReadLines(path).Skip(1).Where(l => l.Length > 0))
        {
            T record;
            try
            {
                record = parse(line);
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
            {
                continue;
            }
            if (keep(record)) kept.Add(record);
        }
        return kept;
    }

    public void Dispose()
    {
        metrics.Dispose();
        evaluations.Dispose();
    }
}
