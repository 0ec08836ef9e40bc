using System.Globalization;

namespace Recontext.Runs;

/// <summary>One column of a results CSV: its name, how a row writes its value, and how a read value sets it.</summary>
/// <param name="Optional">may be absent or empty when read (a file written before the column existed, or a rate
/// nothing measured): the row keeps its default</param>
public sealed record CsvColumn<T>(string Name, Func<T, string> Write, Func<T, string, T> Read, bool Optional = false);

/// <summary>Columns of the kinds the results files hold.</summary>
public static class CsvColumn
{
    public static CsvColumn<T> Number<T>(string name, Func<T, double> get, Func<T, double, T> set, bool optional = false) =>
        new(name, r => Format(get(r)), (r, text) => set(r, ParseNumber(name, text)), optional);

    /// <summary>A number that may be unmeasured: written empty when null.</summary>
    public static CsvColumn<T> MaybeNumber<T>(string name, Func<T, double?> get, Func<T, double, T> set) =>
        new(name, r => get(r) is double v ? Format(v) : "", (r, text) => set(r, ParseNumber(name, text)), Optional: true);

    public static CsvColumn<T> Integer<T>(string name, Func<T, int> get, Func<T, int, T> set) =>
        new(name, r => get(r).ToString(CultureInfo.InvariantCulture),
            (r, text) => set(r, int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"{name}: '{text}' is not an integer")));

    public static CsvColumn<T> Text<T>(string name, Func<T, string> get, Func<T, string, T> set) => new(name, get, set);

    static string Format(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    static double ParseNumber(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"{name}: '{text}' is not a number");
}
