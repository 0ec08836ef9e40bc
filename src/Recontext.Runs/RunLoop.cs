using System.Diagnostics;
using Recontext.Generator;
using Recontext.Judge.Abstractions;
using Recontext.Judge.ToyCode;
using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Tokenization;
using Recontext.Model.Training;
using Recontext.Organism;
using Recontext.Recontextualizer;
using Recontext.Runs.Evaluation;
using Recontext.Trainer.Algorithms;

namespace Recontext.Runs;

/// <summary>
/// One training run in one process: sample under f_gen, judge, recontextualize to f_train, update, repeat;
/// evaluate every <see cref="RunConfig.EvalEvery"/> steps under each eval context. Writes metrics.csv and
/// evaluations.csv as it goes.
/// </summary>
public sealed class RunLoop(RunConfig config, string baseDirectory, string outputDirectory)
{
    public sealed record Progress(int Step, int Steps, string Phase, StepRecord? Last);

    public async Task<RunResult> RunAsync(IProgress<Progress>? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        Directory.CreateDirectory(outputDirectory);
        var tokenizer = new ByteTokenizer();
        var environment = new ToyCodeEnvironment(config.ToyCode);
        var prompts = new PromptTokens(environment, tokenizer);
        var generationContext = config.Recontextualization.Generation.Resolve(environment);
        var builder = new TrainingBatchBuilder(config.Recontextualization, environment, tokenizer);
        var sampling = new SamplingOptions { MaxNewTokens = config.MaxNewTokens, Temperature = config.Temperature, StopTokenIds = [ByteTokenizer.ImEnd] };
        var evalContexts = config.EvalContexts.Select(c => c.Resolve(environment)).ToList();
        var evalTasks = environment.SampleTasks(TaskSplit.Eval, config.EvalTasks, seed: config.Seed * 7919 + 17);
        var evaluator = new PolicyEvaluator(environment, tokenizer, sampling);
        var random = new Random((int)config.Seed);

        using var policy = Checkpoint.Load(config.Checkpoint ?? baseDirectory);
        using var reference = NeedsReference() ? Checkpoint.Load(config.Checkpoint ?? baseDirectory) : null;
        reference?.eval();
        var generator = new RolloutGenerator(policy, tokenizer);
        using var grpo = config.Algorithm == Algorithm.Grpo ? new GrpoTrainer(policy, reference, config.Grpo, config.Optimizer, tokenizer.PaddingId) : null;
        using var sft = config.Algorithm is Algorithm.Sft or Algorithm.ExpertIteration ? new SupervisedTrainer(policy, config.Optimizer) : null;
        using var distill = config.Algorithm == Algorithm.Distillation ? new LogitDistillationTrainer(policy, reference!, config.Optimizer, tokenizer.PaddingId) : null;

        var steps = new List<StepRecord>();
        var evaluations = new List<EvaluationRecord>();
        using var metricsFile = new StreamWriter(Path.Combine(outputDirectory, "metrics.csv"));
        using var evaluationsFile = new StreamWriter(Path.Combine(outputDirectory, "evaluations.csv"));
        metricsFile.WriteLine(StepRecord.Header);
        evaluationsFile.WriteLine(EvaluationRecord.Header);

        async Task Evaluate(int step)
        {
            progress?.Report(new Progress(step, config.Steps, "evaluating", steps.LastOrDefault()));
            foreach (var rates in await evaluator.EvaluateAsync(policy, evalTasks, evalContexts, seed: config.Seed * 1_000 + step))
            {
                var record = new EvaluationRecord(step, rates);
                evaluations.Add(record);
                evaluationsFile.WriteLine(record.ToCsv());
            }
            evaluationsFile.Flush();
        }

        await Evaluate(0);
        for (int step = 1; step <= config.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            var total = Stopwatch.StartNew();
            progress?.Report(new Progress(step, config.Steps, "generating", steps.LastOrDefault()));
            var tasks = environment.SampleTasks(TaskSplit.Train, config.PromptsPerStep, seed: config.Seed * 100_003 + step);
            var promptIds = tasks.Select(t => prompts.Encode(t, generationContext)).ToArray();
            var watch = Stopwatch.StartNew();
            var completions = generator.Generate(promptIds, config.SamplesPerPrompt, sampling with { }, seed: config.Seed * 1_000_003 + step);
            double generateSeconds = watch.Elapsed.TotalSeconds;

            watch.Restart();
            var scores = await Task.WhenAll(completions.Select(c => environment.ScoreAsync(tasks[c.PromptIndex], c.Text, generationContext.Variant, cancellation)));
            double judgeSeconds = watch.Elapsed.TotalSeconds;

            watch.Restart();
            var rollouts = completions.Select((c, i) => new JudgedRollout(tasks[c.PromptIndex], c.PromptIndex, generationContext, promptIds[c.PromptIndex], c.TokenIds, c.LogProbs, scores[i])).ToList();
            var samples = builder.Build(rollouts, random);
            double recontextSeconds = watch.Elapsed.TotalSeconds;

            progress?.Report(new Progress(step, config.Steps, "training", steps.LastOrDefault()));
            watch.Restart();
            var (loss, kl, clipped, gap) = Train(samples, scores, grpo, sft, distill, tokenizer);
            double trainSeconds = watch.Elapsed.TotalSeconds;

            double Rate(Func<JudgeScore, bool> f) => scores.Count(f) / (double)scores.Length;
            var record = new StepRecord(step, scores.Average(s => s.TrainReward), Rate(s => s.Hack), Rate(s => s.Correct), Rate(s => !s.Malformed),
                samples.Count(s => s.Recontextualized) / (double)Math.Max(1, samples.Count), loss, kl, clipped, gap,
                generateSeconds, judgeSeconds, recontextSeconds, trainSeconds,
                total.Elapsed.TotalSeconds - generateSeconds - judgeSeconds - recontextSeconds - trainSeconds);
            steps.Add(record);
            metricsFile.WriteLine(record.ToCsv());
            metricsFile.Flush();

            if (step % config.EvalEvery == 0 || step == config.Steps) await Evaluate(step);
        }
        return new RunResult(config, outputDirectory, steps, evaluations);
    }

    bool NeedsReference() => config.Algorithm == Algorithm.Distillation || (config.Algorithm == Algorithm.Grpo && config.Grpo.Beta > 0);

    (float Loss, float Kl, float Clipped, float Gap) Train(IReadOnlyList<Contracts.TrainingSample> samples, JudgeScore[] scores,
        GrpoTrainer? grpo, SupervisedTrainer? sft, LogitDistillationTrainer? distill, ITokenizer tokenizer)
    {
        switch (config.Algorithm)
        {
            case Algorithm.Grpo:
                var m = grpo!.Update(samples, config.SamplesPerPrompt);
                return (m.Loss, m.Kl, m.ClippedFraction, m.ContextGap);
            case Algorithm.Distillation:
                return (distill!.Update(samples), 0, 0, 0);
            default:
                var chosen = config.Algorithm == Algorithm.ExpertIteration
                    ? ExpertIteration.SelectBest(samples.Select((s, i) => (Sample: s, Score: scores[i])), x => x.Sample.Group, x => x.Sample.Reward,
                        config.DropHacks ? x => !x.Score.Hack : null).Select(x => x.Sample).ToList()
                    : samples.ToList();
                if (chosen.Count == 0) return (0, 0, 0, 0);
                using (var batch = SequenceBatch.Build(chosen.Select(s => s.TrainingPromptIds).ToArray(),
                           chosen.Select(s => s.CompletionIds).ToArray(), tokenizer.PaddingId, sft!.ModelVocab, sft.Device, chosen.Select(s => s.LossMask).ToArray()))
                    return (sft.Step(batch), 0, 0, 0);
        }
    }
}
