using Recontext.Environments;

namespace Recontext.Environments.Monitors;

/// <summary>
/// Reads a reasoning trace and labels it. Rules implement it now; an LLM-judge monitor (a prompt to a model over
/// an OpenAI-compatible endpoint) can implement the same interface later.
/// </summary>
public interface IReasoningMonitor
{
    string Name { get; }

    Task<ReasoningLabels> LabelAsync(string reasoning, CancellationToken cancellation = default);
}
