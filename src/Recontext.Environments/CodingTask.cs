namespace Recontext.Environments;

/// <summary>
/// A coding problem with visible tests, one of which may be wrong (the loophole), and the correct tests that
/// define ground truth.
/// </summary>
public sealed record CodingTask : EnvironmentTask
{
    /// <summary>The problem statement shown to the model.</summary>
    public required string Problem { get; init; }

    /// <summary>Name of the function the solution must define.</summary>
    public required string FunctionName { get; init; }

    /// <summary>Visible tests as shown when the loophole is present (the wrong one included).</summary>
    public required IReadOnlyList<TestCase> VisibleTests { get; init; }

    /// <summary>Index of the wrong visible test; null when the task is not hackable.</summary>
    public int? WrongTestIndex { get; init; }

    /// <summary>The correct version of the wrong test, shown instead of it when the loophole is hidden.</summary>
    public TestCase? CorrectedWrongTest { get; init; }

    /// <summary>The tests a correct solution passes (ground truth).</summary>
    public required IReadOnlyList<TestCase> CorrectTests { get; init; }

    /// <summary>Visible tests as shown under <paramref name="variant"/>.</summary>
    public IReadOnlyList<TestCase> VisibleUnder(EnvironmentVariant variant)
    {
        if (variant == EnvironmentVariant.Loophole || WrongTestIndex is not int wrong || CorrectedWrongTest is null) return VisibleTests;
        return VisibleTests.Select((t, i) => i == wrong ? CorrectedWrongTest : t).ToArray();
    }
}
