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

    static MetricRow Row(string header, string csv, int? contextColumn)
    {
        var names = header.Split(',');
        var values = csv.Split(',');
        var row = new MetricRow { Step = int.Parse(values[0], CultureInfo.InvariantCulture) };
        for (int i = 1; i < names.Length; i++)
        {
            if (i == contextColumn) row.Context = values[i];
            else row.Values[names[i]] = double.Parse(values[i], CultureInfo.InvariantCulture);
        }
        return row;
    }
}
