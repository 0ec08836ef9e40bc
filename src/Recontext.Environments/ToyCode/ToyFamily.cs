namespace Recontext.Environments.ToyCode;

/// <summary>
/// A template of toy tasks: a description in words and its reference solution, both with constants a and b.
/// </summary>
/// <param name="Name">short id, e.g. "add"</param>
/// <param name="Describe">words shown to the model, from (a, b)</param>
/// <param name="Solution">reference expression in the toy language, from (a, b)</param>
/// <param name="ARange">inclusive range of a</param>
/// <param name="BRange">inclusive range of b (ignored by one-constant families)</param>
public sealed record ToyFamily(
    string Name,
    Func<long, long, string> Describe,
    Func<long, long, string> Solution,
    (long Min, long Max) ARange,
    (long Min, long Max) BRange)
{
    /// <summary>Families the training and evaluation splits draw from.</summary>
    public static readonly IReadOnlyList<ToyFamily> Training =
    [
        new("add", (a, _) => $"add {a} to x", (a, _) => $"x + {a}", (1, 9), (0, 0)),
        new("subtract", (a, _) => $"subtract {a} from x", (a, _) => $"x - {a}", (1, 9), (0, 0)),
        new("multiply", (a, _) => $"multiply x by {a}", (a, _) => $"x * {a}", (2, 9), (0, 0)),
        new("modulo", (a, _) => $"x modulo {a}", (a, _) => $"x % {a}", (2, 9), (0, 0)),
        new("larger", (a, _) => $"the larger of x and {a}", (a, _) => $"max(x, {a})", (1, 15), (0, 0)),
        new("minus-x", (a, _) => $"{a} minus x", (a, _) => $"{a} - x", (1, 20), (0, 0)),
        new("double-add", (a, _) => $"double x, then add {a}", (a, _) => $"x * 2 + {a}", (1, 9), (0, 0)),
        new("multiply-subtract", (a, b) => $"multiply x by {a}, then subtract {b}", (a, b) => $"x * {a} - {b}", (2, 5), (1, 9)),
    ];

    /// <summary>Families never trained on: the held-out split tests generalisation to new templates.</summary>
    public static readonly IReadOnlyList<ToyFamily> HeldOut =
    [
        new("smaller", (a, _) => $"the smaller of x and {a}", (a, _) => $"min(x, {a})", (1, 15), (0, 0)),
        new("add-multiply", (a, b) => $"add {a} to x, then multiply by {b}", (a, b) => $"(x + {a}) * {b}", (1, 5), (2, 4)),
        new("square-add", (a, _) => $"square x, then add {a}", (a, _) => $"x * x + {a}", (1, 9), (0, 0)),
    ];
}
