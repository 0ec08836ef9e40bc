using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Model.Training;
using Recontext.Prompts.Tokenization;

namespace Recontext.Model.Tests;

/// <summary>
/// Loading, sampling and training while another thread forces garbage collections without pause. Native objects
/// that no managed reference holds during a libtorch call (a converted tensor, an implicit Scalar, TorchSharp's own
/// alpha of 1 in additions) were finalized mid-call here within seconds: crashes in retain_() and "Unknown scalar
/// type" errors. This guards the fixes (see Scalars, TensorArithmetic, Checkpoint.LoadWeights): a regression
/// crashes or throws within a few rounds. The optimizer's own step is left out of the storm: TorchSharp's AdamW makes
/// unheld Scalars inside step() that we cannot hold (under this storm it failed 3 of 8 runs); in a real process the
/// step runs in a no-GC region (OptimizerStep), which an explicit GC.Collect on another thread would end.
/// </summary>
public sealed class GcPressureTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("recontext-gc-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task LoadingSamplingAndTrainingSurviveConstantCollections()
    {
        var config = TinyModels.Qwen3Style() with { HiddenSize = 128, IntermediateSize = 384, NumHiddenLayers = 3, HeadDimOverride = 32 };
        using (var saved = CausalLm.Create(config, seed: 2)) Checkpoint.Save(saved, directory);
        var tokenizer = new ByteTokenizer();
        var prompts = Enumerable.Range(0, 8).Select(i => tokenizer.Encode($"f(x): add {i} to x.\nTests: f(1)=={i + 1}")).ToArray();

        using var stop = new CancellationTokenSource();
        using var storm = new SemaphoreSlim(1, 1);   // held by the collector around each collection, by the test around the optimizer's step
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                storm.Wait();
                GC.Collect();
                GC.WaitForPendingFinalizers();
                storm.Release();
                // SemaphoreSlim is not fair: without a pause the collector takes it back at once, and the torch thread
                // waiting to step the optimizer starved for minutes (seen when the suite ran beside other projects).
                Thread.Sleep(1);
            }
        });
        int rounds = 0;
        try
        {
            for (; rounds < 12; rounds++)
            {
                await TorchThread.Default.Run(() =>
                {
                    using var model = Checkpoint.Load(directory);
                    var samples = new TextGenerator(model, tokenizer).Generate(prompts.SelectMany(p => new[] { p, p }).ToArray(),
                        new SamplingOptions { MaxNewTokens = 24, Temperature = 1.0, Seed = rounds });
                    using var optimizer = TorchSharp.torch.optim.AdamW(model.parameters(), 1e-3);
                    using var batch = SequenceBatch.Build(prompts.SelectMany(p => new[] { p, p }).ToArray(), samples.Select(s => s.TokenIds.Length > 0 ? s.TokenIds : [32]).ToArray(),
                        tokenizer.PaddingId, config.VocabSize, model.Device);
                    using var scope = TorchSharp.torch.NewDisposeScope();
                    model.train();
                    optimizer.zero_grad();
                    var loss = NegativeLogLikelihood.Compute(LogProbScorer.Score(model, batch).TokenLogProbs, batch.CompletionMask);
                    loss.backward();
                    storm.Wait();
                    try
                    {
                        OptimizerStep.Run(optimizer);
                    }
                    finally
                    {
                        storm.Release();
                    }
                    return loss.item<float>();
                });
            }
        }
        finally
        {
            stop.Cancel();
            await collector;
        }
        Assert.Equal(12, rounds);
    }
}
