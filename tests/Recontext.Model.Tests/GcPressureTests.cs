using Recontext.Model.Checkpoints;
using Recontext.Model.Generation;
using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using Recontext.Prompts.Tokenization;
using Recontext.Model.Training;

namespace Recontext.Model.Tests;

/// <summary>
/// Loading, sampling and training while another thread forces garbage collections without pause. Native objects
/// that no managed reference holds during a libtorch call (a converted tensor, an implicit Scalar, TorchSharp's own
/// alpha of 1 in additions) were finalized mid-call here within seconds: crashes in retain_() and "Unknown scalar
/// type" errors. This guards the fixes (see Scalars, TensorArithmetic, Checkpoint.LoadWeights): a regression
/// crashes or throws within a few rounds.
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
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
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
                    using var trainer = new SupervisedTrainer(model, new OptimizerOptions());
                    using var batch = SequenceBatch.Build(prompts.SelectMany(p => new[] { p, p }).ToArray(), samples.Select(s => s.TokenIds.Length > 0 ? s.TokenIds : [32]).ToArray(),
                        tokenizer.PaddingId, config.VocabSize, model.Device);
                    return trainer.Step(batch);
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
