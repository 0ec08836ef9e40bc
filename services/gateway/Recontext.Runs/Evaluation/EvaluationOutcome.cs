using Recontext.Contracts;

namespace Recontext.Runs.Evaluation;

/// <summary>An evaluation of the policy: its rates under each eval context and the judged samples behind them (kept
/// in the trace store, so that what a policy writes under each eval context can be read, not only counted).</summary>
public sealed record EvaluationOutcome(IReadOnlyList<ContextRates> Rates, IReadOnlyList<EvaluationSamples> Samples);

/// <param name="Request">the evaluation batch as sent (its prompts, one per task)</param>
/// <param name="Judged">its completions with their scores</param>
public sealed record EvaluationSamples(string Context, GenerateRollouts Request, RolloutsJudged Judged);
