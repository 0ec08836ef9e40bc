namespace Recontext.Model.Scoring;

/// <summary>How a <see cref="MicroBatchPlan"/> ordered the rows before cutting them into micro-batches.</summary>
public enum MicroBatchOrder
{
    /// <summary>As given (GRPO: prompt group after prompt group).</summary>
    AsGiven,
    /// <summary>Whole prompt groups, longest completion first: prompts stay shared, lengths bucketed by group.</summary>
    GroupsByLength,
    /// <summary>Every row, longest completion first: lengths bucketed across groups.</summary>
    RowsByLength,
}
