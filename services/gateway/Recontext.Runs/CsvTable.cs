namespace Recontext.Runs;

/// <summary>
/// A results file's columns, declared once: the header, each row's line, reading a line back, and the names the
/// store and the dashboard key values by all come from the same list.
/// </summary>
/// <param name="empty">the row every read starts from (what an absent optional column keeps)</param>
public sealed class CsvTable<T>(T empty, IReadOnlyList<CsvColumn<T>> columns)
{
    public IReadOnlyList<CsvColumn<T>> Columns { get; } = columns;

    public string Header { get; } = string.Join(",", columns.Select(c => c.Name));

    public string Write(T row) => string.Join(",", Columns.Select(c => c.Write(row)));

    /// <summary>Reads a line in <see cref="Header"/>'s order; a shorter line (a file written before its last
    /// columns existed) reads when the columns it lacks are optional.</summary>
    /// <exception cref="FormatException">a value that does not parse, or a required column missing (named)</exception>
    public T Parse(string line)
    {
        var values = line.Split(',');
        if (values.Length > Columns.Count) throw new FormatException($"{values.Length} fields where {Columns.Count} columns are known ({Header})");
        return Read(Columns.Take(values.Length).Select((c, i) => (c.Name, values[i])).ToDictionary());
    }

    /// <summary>Reads a row from its values by column name.</summary>
    public T Read(IReadOnlyDictionary<string, string> fields)
    {
        var row = empty;
        foreach (var column in Columns)
        {
            if (fields.TryGetValue(column.Name, out var text) && text.Length > 0) row = column.Read(row, text);
            else if (!column.Optional) throw new FormatException($"no value for the column '{column.Name}'");
        }
        return row;
    }
}
