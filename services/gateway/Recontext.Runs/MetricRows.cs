using System.Globalization;
using Recontext.Store;

namespace Recontext.Runs;

/// <summary>A run's metrics as the store keeps them (<see cref="RunDocument.Steps"/>, <see cref="RunDocument.Evaluations"/>):
/// the very columns and values of its CSV files, so the store and the results folder never disagree.</summary>
public static class MetricRows
{
    public static MetricRow Of(StepRecord step) => Row(StepRecord.Table, step);

    public static MetricRow Of(EvaluationRecord evaluation) => Row(EvaluationRecord.Table, evaluation);

    /// <summary>Copies the run's rows so far (after a resume: up to its resume point) into its document.</summary>
    public static void Record(RunDocument run, RunFiles files)
    {
        run.Steps = files.Steps.Select(Of).ToList();
        run.Evaluations = files.Evaluations.Select(Of).ToList();
    }

    /// <summary>The step record a stored row holds (the inverse of <see cref="Of(StepRecord)"/>).</summary>
    /// <exception cref="FormatException">the row lacks a column of metrics.csv</exception>
    public static StepRecord ToStep(MetricRow row) => StepRecord.Table.Read(Fields(row));

    /// <summary>The evaluation record a stored row holds (the inverse of <see cref="Of(EvaluationRecord)"/>).</summary>
    /// <exception cref="FormatException">the row lacks a column of evaluations.csv</exception>
    public static EvaluationRecord ToEvaluation(MetricRow row) =>
        EvaluationRecord.Table.Read(new Dictionary<string, string>(Fields(row)) { [EvaluationRecord.ContextColumn] = row.Context ?? throw new FormatException("the stored evaluation row has no eval context") });

    const string StepColumn = "step";

    static Dictionary<string, string> Fields(MetricRow row)
    {
        var fields = row.Values.ToDictionary(kv => kv.Key, kv => kv.Value.ToString("R", CultureInfo.InvariantCulture));
        fields[StepColumn] = row.Step.ToString(CultureInfo.InvariantCulture);
        return fields;
    }

    /// <summary>A row as the store keeps it: the step, the eval context, and every other column a number by its name
    /// (an empty one, a rate nothing measured, left out).</summary>
    static MetricRow Row<T>(CsvTable<T> table, T record)
    {
        var row = new MetricRow();
        foreach (var column in table.Columns)
        {
            var text = column.Write(record);
            if (column.Name == StepColumn) row.Step = int.Parse(text, CultureInfo.InvariantCulture);
            else if (column.Name == EvaluationRecord.ContextColumn) row.Context = text;
            else if (text.Length > 0) row.Values[column.Name] = double.Parse(text, CultureInfo.InvariantCulture);
        }
        return row;
    }
}
