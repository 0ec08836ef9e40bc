using System.Globalization;
using Recontext.Store;

namespace Recontext.Runs;

/// <summary>A run's metrics as the store keeps them (<see cref="RunDocument.Steps"/>, <see cref="RunDocument.Evaluations"/>):
/// the very columns and values of its CSV files, so the store and the results folder never disagree.</summary>
public static class MetricRows
{
    public static MetricRow Of(StepRecord step) => Row(StepRecord.Header, step.ToCsv(), contextColumn: null);

    public static MetricRow Of(EvaluationRecord evaluation) => Row(EvaluationRecord.Header, evaluation.ToCsv(), contextColumn: 1);

    /// <summary>Copies the run's rows so far (after a resume: up to its resume point) into its document.</summary>
    public static void Record(RunDocument run, RunFiles files)
    {
        run.Steps = files.Steps.Select(Of).ToList();
        run.Evaluations = files.Evaluations.Select(Of).ToList();
    }

    /// <summary>The step record a stored row holds (the inverse of <see cref="Of(StepRecord)"/>).</summary>
    /// <exception cref="FormatException">the row lacks a column of metrics.csv</exception>
    public static StepRecord ToStep(MetricRow row) => StepRecord.Parse(Csv(StepRecord.Header, row, contextColumn: null));

    /// <summary>The evaluation record a stored row holds (the inverse of <see cref="Of(EvaluationRecord)"/>).</summary>
    /// <exception cref="FormatException">the row lacks a column of evaluations.csv</exception>
    public static EvaluationRecord ToEvaluation(MetricRow row) => EvaluationRecord.Parse(Csv(EvaluationRecord.Header, row, contextColumn: 1));

    static string Csv(string header, MetricRow row, int? contextColumn) => string.Join(",", header.Split(',').Select((name, i) =>
        i == 0 ? row.Step.ToString(CultureInfo.InvariantCulture)
        : i == contextColumn ? row.Context ?? throw new FormatException("the stored evaluation row has no eval context")
        : row.Values.TryGetValue(name, out var v) ? v.ToString("R", CultureInfo.InvariantCulture)
        : EvaluationRecord.OptionalColumns.Contains(name) ? ""
        : throw new FormatException($"the stored row of step {row.Step} has no '{name}'")));

    static MetricRow Row(string header, string csv, int? contextColumn)
    {
        var names = header.Split(',');
        var values = csv.Split(',');
        var row = new MetricRow { Step = int.Parse(values[0], CultureInfo.InvariantCulture) };
        for (int i = 1; i < names.Length; i++)
        {
            if (i == contextColumn) row.Context = values[i];
            else if (values[i].Length > 0) row.Values[names[i]] = double.Parse(values[i], CultureInfo.InvariantCulture);   // empty: an optional rate not measured
        }
        return row;
    }
}
