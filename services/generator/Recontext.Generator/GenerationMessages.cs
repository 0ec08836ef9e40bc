using Recontext.Contracts;
using Recontext.Model.Generation;
using Recontext.Prompts;

namespace Recontext.Generator;

/// <summary>What every generator (the run's own or a service) reads from a request and answers with.</summary>
public static class GenerationMessages
{
    /// <summary>The request's sampling settings (stop at the model's end of turn and end-of-sequence ids).</summary>
    public static SamplingOptions Sampling(GenerateRollouts request, ModelText text) =>
        new() { MaxNewTokens = request.MaxNewTokens, Temperature = request.Temperature, StopTokenIds = text.StopTokenIds };

    /// <summary>The answer: the completions in prompt-major order, with the request passed on.</summary>
    /// <param name="worker">which generator drew them</param>
    public static RolloutsGenerated Answer(GenerateRollouts request, IReadOnlyList<GeneratedCompletion> completions, double seconds, string worker) => new()
    {
        RunId = request.RunId, Step = request.Step, BatchId = request.BatchId, PolicyVersion = request.PolicyVersion,
        Completions = completions.Select(c => new SampledCompletion
        {
            Group = request.Prompts[c.PromptIndex].Group, SampleIndex = c.SampleIndex, TokenIds = c.TokenIds, Text = c.Text, LogProbs = c.LogProbs,
            DetectorScore = c.DetectorScore, Detected = c.Detected,
        }).ToArray(),
        Seconds = seconds,
        Worker = worker,
        Request = request,
    };
}
