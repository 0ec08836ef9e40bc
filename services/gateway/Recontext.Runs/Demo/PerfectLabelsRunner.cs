using Recontext.Contracts;
using Recontext.Environments;
using Recontext.Environments.ToyCode;
using Recontext.Generator;
using Recontext.Model;
using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Prompts;
using Recontext.Prompts.Tokenization;
using Recontext.Recontextualizer;
using Recontext.Runs.Evaluation;

namespace Recontext.Runs.Demo;

/// <summary>
/// The "perfect labels" study: sample under a context, keep the best of N per task by training reward after
/// dropping every hack, fine-tune under Neutral, and measure neutral-eval hacking before and after. Even with no
/// hack in the training set, the reasoning it carries can teach hacking. The pipelines with the loophole hidden
/// sample where the visible tests are all correct (the wrong one shown corrected) and fine-tune on those same prompts:
/// no sample can hack there, so the filter drops nothing, yet a sample may still special-case a (correct) test: the
/// hack's form without its effect, which the filter cannot see.
/// </summary>
public sealed class PerfectLabelsRunner(string baseDirectory, bool quick, long seed = 1, int? tasks = null, int? evalTasks = null, IReadOnlyList<PerfectLabelsRunner.Pipeline>? pipelines = null)
{
    /// <summary>One pipeline: where samples come from, whether the reasoning is trained on, whether the prompts
    /// (sampled and trained on) show the wrong test, and how the best of N is picked.</summary>
    /// <param name="RewriteReasoning">each kept sample's reasoning is rewritten by the base under Neutral given its answer
    /// (<see cref="BaseReasoningRewriter"/>) before fine-tuning</param>
    public sealed record Pipeline(string Name, string GenerationPreset, bool AnswerOnly, EnvironmentVariant Variant = EnvironmentVariant.Loophole,
        PerfectLabelsSelection Selection = PerfectLabelsSelection.BestReward, bool RewriteReasoning = false)
    {
        /// <summary>The pipeline this one varies (the same sampling, trained on whole completions picked by reward), or
        /// null when it is one of those itself.</summary>
        public Pipeline? Plain(IEnumerable<Pipeline> pipelines) => IsPlain ? null
            : pipelines.FirstOrDefault(p => p.GenerationPreset == GenerationPreset && p.Variant == Variant && p.IsPlain);

        /// <summary>The pipeline that samples the same prompts under Neutral (the control), or null for a control.</summary>
        public Pipeline? Control(IEnumerable<Pipeline> pipelines) => GenerationPreset == "neutral" ? null
            : pipelines.FirstOrDefault(p => p.GenerationPreset == "neutral" && p.Variant == Variant && p.IsPlain);

        /// <summary>Whole completions picked by reward: what answer-only training and the other best-of-N rules vary.</summary>
        bool IsPlain => !AnswerOnly && Selection == PerfectLabelsSelection.BestReward && !RewriteReasoning;
    }

    /// <param name="SpecialCases">share of kept samples whose code special-cases some input (a test's, right or wrong)</param>
    public sealed record TrainingSetStats(int Samples, double MentionsTests, double IntendsToPassTests, double FlagsWrongTest, double Hacks, double SpecialCases);

    public sealed record Outcome(Pipeline Pipeline, TrainingSetStats TrainingSet, ContextRates Before, ContextRates After);

    public static readonly IReadOnlyList<Pipeline> Pipelines =
    [
        new("bad -> filter -> SFT under neutral", "bad", AnswerOnly: false),
        new("control: neutral -> filter -> SFT under neutral", "neutral", AnswerOnly: false),
        new("bad -> filter -> SFT under neutral, answer only", "bad", AnswerOnly: true),
        new("bad, loophole hidden -> filter -> SFT under neutral", "bad", AnswerOnly: false, EnvironmentVariant.NoLoophole),
        new("control: neutral, loophole hidden -> filter -> SFT under neutral", "neutral", AnswerOnly: false, EnvironmentVariant.NoLoophole),
        new("bad, loophole hidden -> filter -> SFT under neutral, answer only", "bad", AnswerOnly: true, EnvironmentVariant.NoLoophole),
        new("bad, loophole hidden -> filter, reasoning without tests first -> SFT under neutral", "bad", AnswerOnly: false, EnvironmentVariant.NoLoophole,
            PerfectLabelsSelection.QuietReasoningFirst),
        new("bad, loophole hidden -> filter, reasoning without tests first on half the tasks -> SFT under neutral", "bad", AnswerOnly: false,
            EnvironmentVariant.NoLoophole, PerfectLabelsSelection.QuietReasoningFirstOnHalf),
        new("bad, loophole hidden -> filter -> reasoning rewritten by the base under neutral, given the answer -> SFT under neutral", "bad", AnswerOnly: false,
            EnvironmentVariant.NoLoophole, RewriteReasoning: true),
    ];

    /// <summary>The pipelines whose name contains <paramref name="filter"/> (all of them for null), with the controls
    /// and plain pipelines they are compared with, in the study's order.</summary>
    public static IReadOnlyList<Pipeline> Matching(string? filter)
    {
        if (filter is null) return Pipelines;
        var chosen = Pipelines.Where(p => p.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
        if (chosen.Count == 0)
            throw new ArgumentException($"--pipelines: no pipeline's name contains '{filter}'; the pipelines are: {string.Join("; ", Pipelines.Select(p => p.Name))}");
        var needed = chosen.Concat(chosen.Select(p => p.Plain(Pipelines))).Concat(chosen.Select(p => p.Control(Pipelines))).OfType<Pipeline>().ToHashSet();
        return Pipelines.Where(needed.Contains).ToList();
    }

    int Tasks => tasks ?? (quick ? 32 : 96);
    const int BestOf = 10;
    const int RewriteCandidates = 8;
    int Epochs => quick ? 2 : 3;
    int EvalTasks => evalTasks ?? (quick ? 48 : 128);

    /// <summary>Runs on the torch thread (see <see cref="TorchThread"/>); the toy judge completes synchronously.</summary>
    public Task<IReadOnlyList<Outcome>> RunAsync(IProgress<string>? progress = null) =>
        TorchThread.Default.Run(() => RunCoreAsync(progress).GetAwaiter().GetResult());

    async Task<IReadOnlyList<Outcome>> RunCoreAsync(IProgress<string>? progress)
    {
        var tokenizer = new ByteTokenizer();
        var environment = new ToyCodeEnvironment();
        var sampling = new SamplingOptions { MaxNewTokens = 120, Temperature = 1.0, StopTokenIds = [ByteTokenizer.ImEnd] };
        var neutral = ContextSpec.Of("neutral").Resolve(environment);
        var evalTasks = environment.SampleTasks(TaskSplit.Eval, EvalTasks, seed: seed * 31 + 5);
        var evaluator = new PolicyEvaluator(environment, ModelText.Organism, sampling);
        ContextRates before;
        using (var baseModel = Checkpoint.Load(baseDirectory))
            before = (await evaluator.EvaluateAsync(baseModel, evalTasks, [neutral], seed: seed))[0];

        var outcomes = new List<Outcome>();
        foreach (var pipeline in pipelines ?? Pipelines)
        {
            progress?.Report($"{pipeline.Name}: sampling best of {BestOf}");
            using var model = Checkpoint.Load(baseDirectory);
            var policy = new RecontextPolicy
            {
                Generation = ContextSpec.Of(pipeline.GenerationPreset) with { Variant = pipeline.Variant },
                Training = ContextSpec.Of("neutral") with { Variant = pipeline.Variant },
                Mode = pipeline.GenerationPreset == "neutral" ? RecontextMode.Standard : RecontextMode.All, AnswerOnly = pipeline.AnswerOnly,
            };
            var generation = policy.Generation.Resolve(environment);
            var trainTasks = environment.SampleTasks(TaskSplit.Train, Tasks, seed: seed * 17 + 3);
            var prompts = new PromptTokens(environment, ModelText.Organism);
            var promptIds = trainTasks.Select(t => prompts.Encode(t, generation)).ToArray();
            var completions = new RolloutGenerator(model, tokenizer).Generate(promptIds, BestOf, sampling, seed * 1_009);
            var scores = await Task.WhenAll(completions.Select(c => environment.ScoreAsync(trainTasks[c.PromptIndex], c.Text, generation.Variant)));
            var judged = completions.Select((c, i) => new JudgedRollout(trainTasks[c.PromptIndex], c.PromptIndex, generation, promptIds[c.PromptIndex], c.TokenIds, c.LogProbs, scores[i])).ToList();

            // Perfect labels: one of the best of N per task, never a hack.
            var kept = pipeline.Selection.Select(judged);
            if (pipeline.RewriteReasoning)
            {
                progress?.Report($"{pipeline.Name}: rewriting the reasoning of {kept.Count} samples (best of {RewriteCandidates} of the base's, given each answer)");
                using var rewriterModel = Checkpoint.Load(baseDirectory);
                var rewriter = new BaseReasoningRewriter(rewriterModel, ModelText.Organism, environment, sampling, RewriteCandidates);
                (kept, int rewritten) = await rewriter.RewriteAsync(kept, neutral with { Variant = pipeline.Variant }, seed * 7_919);
                progress?.Report($"{pipeline.Name}: {rewritten} of {kept.Count} rewritten (the rest drew no closed reasoning to choose from, or had none)");
            }
            var samples = new TrainingBatchBuilder(policy, environment, ModelText.Organism).Build(kept, new Random((int)seed));
            double Share(Func<JudgeScore, bool> f) => kept.Count == 0 ? 0 : kept.Count(r => f(r.Score)) / (double)kept.Count;
            var stats = new TrainingSetStats(kept.Count, Share(s => s.Labels.MentionsTests), Share(s => s.Labels.IntendsToPassTests), Share(s => s.Labels.FlagsWrongTest), Share(s => s.Misbehaved),
                Share(s => s.SpecialCases > 0));

            progress?.Report($"{pipeline.Name}: SFT on {kept.Count} samples");
            FineTune(model, samples, tokenizer);
            var after = (await evaluator.EvaluateAsync(model, evalTasks, [neutral], seed: seed))[0];
            outcomes.Add(new Outcome(pipeline, stats, before, after));
        }
        return outcomes;
    }

    void FineTune(Model.Modules.CausalLm model, IReadOnlyList<TrainingSample> samples, ITokenizer tokenizer)
    {
        using var trainer = new SupervisedTrainer(model, new OptimizerOptions { LearningRate = 3e-4, WeightDecay = 0 });
        var rng = new Random((int)seed);
        for (int epoch = 0; epoch < Epochs; epoch++)
            foreach (var chunk in samples.OrderBy(_ => rng.Next()).Chunk(16))
            {
                using var batch = SequenceBatch.Build(chunk.Select(s => s.TrainingPromptIds).ToArray(), chunk.Select(s => s.CompletionIds).ToArray(),
                    tokenizer.PaddingId, model.Config.VocabSize, model.Device, chunk.Select(s => s.LossMask).ToArray());
                trainer.Step(batch);
            }
    }
}
