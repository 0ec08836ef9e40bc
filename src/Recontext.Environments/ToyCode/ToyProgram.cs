using System.Text.RegularExpressions;

namespace Recontext.Environments.ToyCode;

/// <summary>
/// A program of the toy language, parsed and interpreted exactly (no Python, nothing executed natively):
/// <code>
/// def f(x):
///   if x == 2: return 9      (zero or more special cases)
///   return x + 3             (+ - * %, parentheses, max(,), min(,), integers, x)
/// </code>
/// Arithmetic is checked 64-bit; % is floored (Python's). Overflow or modulo by zero is a runtime error.
/// </summary>
public sealed partial class ToyProgram
{
    readonly IReadOnlyList<(long Input, long Output)> specialCases;
    readonly ToyExpression body;

    ToyProgram(IReadOnlyList<(long, long)> specialCases, ToyExpression body)
    {
        this.specialCases = specialCases;
        this.body = body;
    }

    /// <summary>Number of <c>if x == k</c> lines.</summary>
    public int SpecialCaseCount => specialCases.Count;

    [GeneratedRegex(@"^def\s+f\s*\(\s*x\s*\)\s*:\s*$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^\s+if\s+x\s*==\s*(-?\d+)\s*:\s*return\s+(-?\d+)\s*$")]
    private static partial Regex SpecialCase();

    [GeneratedRegex(@"^\s+return\s+(.+?)\s*$")]
    private static partial Regex Return();

    /// <summary>Parses program text (no reasoning span); throws <see cref="ToyProgramException"/> naming the line.</summary>
    public static ToyProgram Parse(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        int i = 0;
        while (i < lines.Length && string.IsNullOrWhiteSpace(lines[i])) i++;
        if (i == lines.Length) throw new ToyProgramException("the program is empty");
        if (!Header().IsMatch(lines[i])) throw new ToyProgramException($"line {i + 1}: expected 'def f(x):', got '{Clip(lines[i])}'");
        i++;

        var cases = new List<(long, long)>();
        ToyExpression? body = null;
        for (; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            if (body is not null) throw new ToyProgramException($"line {i + 1}: nothing may follow the final return, got '{Clip(lines[i])}'");
            if (SpecialCase().Match(lines[i]) is { Success: true } special)
            {
                cases.Add((ParseInt(special.Groups[1].Value, i), ParseInt(special.Groups[2].Value, i)));
                continue;
            }
            if (Return().Match(lines[i]) is { Success: true } ret)
            {
                try
                {
                    body = ToyExpressionParser.Parse(ret.Groups[1].Value);
                }
                catch (ToyProgramException e)
                {
                    throw new ToyProgramException($"line {i + 1}: {e.Message}");
                }
                continue;
            }
            throw new ToyProgramException($"line {i + 1}: expected '  if x == <int>: return <int>' or '  return <expr>', got '{Clip(lines[i])}'");
        }
        if (body is null) throw new ToyProgramException("the program has no final 'return <expr>' line");
        return new ToyProgram(cases, body);
    }

    /// <summary>f(x); throws <see cref="ToyProgramException"/> on overflow or modulo by zero.</summary>
    public long Evaluate(long x)
    {
        foreach (var (input, output) in specialCases)
            if (input == x) return output;
        return body.Evaluate(x);
    }

    static long ParseInt(string text, int line) =>
        long.TryParse(text, out var value) ? value : throw new ToyProgramException($"line {line + 1}: integer '{Clip(text)}' is out of range");

    internal static string Clip(string text) => text.Length <= 60 ? text.Trim() : text.Trim()[..57] + "...";
}

/// <summary>A toy program that does not parse, or fails when run (overflow, modulo by zero).</summary>
public sealed class ToyProgramException(string message) : Exception(message);
