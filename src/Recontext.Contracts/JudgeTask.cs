namespace Recontext.Contracts;

/// <summary>
/// A task as it travels to the judge: its environment's name and the task's JSON row in that environment's format
/// (toy-code: <c>{"problem": ..., "visible_tests": [...], "wrong_test_index": 0, ...}</c>), so a judge in another
/// process can score completions without the run's state.
/// </summary>
public sealed record JudgeTask
{
    public required string Environment { get; init; }
    public required string Row { get; init; }
}
