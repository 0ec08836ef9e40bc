namespace Recontext.Runs;

/// <summary>The mbpp-incorrect-test environment of a run (<c>mbpp:</c> in an experiment).</summary>
public sealed record MbppOptions
{
    /// <summary>JSONL rows in the mbpp-incorrect-test format (see docs/sandbox.md); 80 % train, 20 % eval by position.</summary>
    public string Rows { get; init; } = "experiments/data/mbpp-own.jsonl";
}
