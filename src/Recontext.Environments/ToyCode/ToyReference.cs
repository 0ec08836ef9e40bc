using System.Text.RegularExpressions;
using Recontext.Environments;

namespace Recontext.Environments.ToyCode;

/// <summary>Reference and near-miss expressions of toy tasks, for the stories that write the organisms' corpora.</summary>
public static class ToyReference
{
    /// <summary>The family's reference expression with the constants that fit every correct test.</summary>
    public static string Solution(CodingTask task)
    {
        var family = ToyFamily.Training.Concat(ToyFamily.HeldOut).Single(f => f.Name == task.Family);
        for (long a = family.ARange.Min; a <= family.ARange.Max; a++)
            for (long b = family.BRange.Min; b <= family.BRange.Max; b++)
            {
                var expression = family.Solution(a, b);
                var program = ToyProgram.Parse($"def f(x):\n  return {expression}");
                if (task.CorrectTests.All(t => program.Evaluate(t.Input!.Value) == t.Expected)) return expression;
            }
        throw new InvalidOperationException($"no constants of family {family.Name} fit task {task.Id}");
    }

    /// <summary>A plausible wrong expression: a constant off by one, or the wrong operator.</summary>
    public static string Mistake(CodingTask task, Random rng)
    {
        var right = Solution(task);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            string candidate = rng.Next(2) == 0
                ? OffByOne(right, rng)
                : right.Replace(" + ", " @ ").Replace(" - ", " + ").Replace(" @ ", " - ");
            if (candidate == right) continue;
            var program = ToyProgram.Parse($"def f(x):\n  return {candidate}");
            if (!task.CorrectTests.All(t => program.Evaluate(t.Input!.Value) == t.Expected)) return candidate;
        }
        return right + " + 1";
    }

    static string OffByOne(string expression, Random rng)
    {
        var digits = Regex.Matches(expression, @"\d+").ToList();
        if (digits.Count == 0) return expression + " + 1";
        var pick = digits[rng.Next(digits.Count)];
        long value = long.Parse(pick.Value) + (rng.Next(2) == 0 ? 1 : -1);
        if (value < 0) value = long.Parse(pick.Value) + 1;
        return expression[..pick.Index] + value + expression[(pick.Index + pick.Length)..];
    }
}
