using Recontext.Runs.Config;

namespace Recontext.Runs.Tests;

/// <summary>What a run may ask for is bounded before any work, with errors naming the field and the limit; a results
/// folder holds one run at a time; a damaged resume point is named, never a stack trace.</summary>
public class RunLimitsTests
{
    const string Base = """
        name: limits
        environment: toy-code
        steps: 2
        promptsPerStep: 2
        samplesPerPrompt: 2
        eval: { every: 2, tasks: 2 }
        """;

    static string Check(string yaml)
    {
        try
        {
            var experiment = ExperimentFile.Parse(yaml);
            RunLimits.Check(experiment.Config.Validate());
            return "accepted";
        }
        catch (Exception e) when (e is ExperimentException or ArgumentException)
        {
            return e.Message;
        }
    }

    [Fact]
    public void EveryBoundIsNamedWithItsLimit()
    {
        Assert.Equal("accepted", Check(Base));
        Assert.Equal("sampling.maxNewTokens is 10000000, but the longest prompt takes 144 tokens of the model's context of 512: at most 368 new tokens fit",
            Check(Base + "\nsampling: { maxNewTokens: 10000000 }"));
        Assert.Equal("accepted", Check(Base + "\nsampling: { maxNewTokens: 368 }"));
        Assert.Equal("samplesPerPrompt is 100000; at most 256", Check(Base.Replace("samplesPerPrompt: 2", "samplesPerPrompt: 100000")));
        Assert.Equal("promptsPerStep × samplesPerPrompt is 1048576; at most 16384 rollouts a step",
            Check(Base.Replace("promptsPerStep: 2", "promptsPerStep: 4096").Replace("samplesPerPrompt: 2", "samplesPerPrompt: 256")));
        Assert.Equal("eval.tasks is 100000000; at most 10000", Check(Base.Replace("tasks: 2", "tasks: 100000000")));
        Assert.Equal("steps is 1000000000000; at most 100000", Check(Base.Replace("steps: 2", "steps: 1000000000000")));   // the real limit, not int.MaxValue
        Assert.Equal("eval.every is 99999999999: too large for an integer", Check(Base.Replace("every: 2", "every: 99999999999")));
        Assert.Equal("steps is 1000000; at most 100000", Check(Base.Replace("steps: 2", "steps: 1000000")));
        Assert.Equal("contexts.generation.text has 1000000 characters; at most 2000",
            Check(Base + $"\ncontexts:\n  generation:\n    text: \"{new string('x', 1_000_000)}\"\n"));
        Assert.Equal("model.checkpoint: /nonexistent-recontext holds no config.json", Check(Base + "\nmodel: { checkpoint: /nonexistent-recontext }"));
    }

    [Fact]
    public void ATrainingStepThatWouldNotFitIsRefusedNamingWhatLowersIt()
    {
        var dir = Directory.CreateTempSubdirectory("recontext-memory-").FullName;
        try
        {
            var model = Path.Combine(dir, "qwen3-tiny");
            Model.Checkpoints.ModelInitializer.Write(new Model.Checkpoints.ModelInitializer.Options("qwen3", "tiny",
                Path.Combine(TestSupport.RepositoryRoot.Path, ".cache", "test-assets", "qwen3"), "float32", Seed: 1), model);
            var config = new RunConfig
            {
                Checkpoint = model, Steps = 1, PromptsPerStep = 8, SamplesPerPrompt = 8, MaxNewTokens = 64, EvalTasks = 2,
                Grpo = new Trainer.Losses.GrpoOptions { Beta = 0.1 },
            }.Validate();
            var folder = Model.Checkpoints.ModelFolder.Read(model);
            string Refusal(RunConfig c, long available)
            {
                try
                {
                    RunLimits.Check(c, availableBytes: available);
                    return "accepted";
                }
                catch (ArgumentException e)
                {
                    return e.Message;
                }
            }
            var full = Refusal(config, 1L << 20);
            Assert.Contains("a training step needs about", full);
            Assert.Contains("batch 64 × ", full);
            Assert.Contains("more than the 0 GiB of memory available", full);
            Assert.Contains("set microBatchSize below 64", full);
            Assert.Contains("lower sampling.maxNewTokens (64)", full);
            Assert.Contains("train LoRA adapters (model.lora)", full);

            var micro = config with { MicroBatchSize = 4 };
            Assert.Contains("batch 4 × ", Refusal(micro, 1L << 20));
            var lora = config with { Lora = new Model.Lora.LoraConfig { Rank = 4 } };
            Assert.DoesNotContain("model.lora", Refusal(lora, 1L << 20));
            Assert.Equal("accepted", Refusal(config, 64L << 30));
            // Micro-batches shrink the activations: a budget that refuses the whole batch admits micro-batches of 4.
            int sequence = int.Parse(System.Text.RegularExpressions.Regex.Match(full, @"batch 64 × (\d+) tokens").Groups[1].Value);
            long wholeBatch = Model.Checkpoints.TrainingMemory.FullFineTuning(folder.Config, folder.Parameters, 64, sequence).Total + folder.Parameters * 4;
            long microBatch = Model.Checkpoints.TrainingMemory.FullFineTuning(folder.Config, folder.Parameters, 4, sequence).Total + folder.Parameters * 4;
            Assert.True(microBatch < wholeBatch);
            Assert.Contains("set microBatchSize below 64", Refusal(config, wholeBatch - 1));
            Assert.Equal("accepted", Refusal(config, wholeBatch));
            Assert.Equal("accepted", Refusal(micro, microBatch));
            Assert.Contains("set microBatchSize below 4", Refusal(micro, microBatch - 1));
            // Gradient checkpointing keeps every layer's input and one layer's activations: a budget that refuses the
            // whole batch admits it checkpointed, and a refusal of a checkpointed run no longer suggests it.
            Assert.Contains("turn on gradientCheckpointing", full);
            var checkpointed = config with { GradientCheckpointing = true };
            long layered = Model.Checkpoints.TrainingMemory.FullFineTuning(folder.Config, folder.Parameters, 64, sequence, checkpointing: true).Total + folder.Parameters * 4;
            Assert.True(layered < wholeBatch);
            Assert.Equal("accepted", Refusal(checkpointed, layered));
            Assert.DoesNotContain("gradientCheckpointing", Refusal(checkpointed, layered - 1));
            Assert.True(ExperimentFile.Parse(Base + "\ngradientCheckpointing: true").Config.GradientCheckpointing);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task TheDeviceIsChosenAtRunTimeAndCudaOnACpuBuildIsANamedError()
    {
        Assert.Equal("device 'gpu' is not one of auto, cpu, cuda, cuda:N", Check(Base + "\ndevice: gpu"));
        Assert.Equal("cuda:1", ExperimentFile.Parse(Base + "\ndevice: CUDA:1").Config.Device);
        Model.TorchRuntime.EnsureLoaded();
        if (TorchSharp.torch.cuda.is_available()) return;   // a GPU host: cuda is a valid choice there
        var dir = Directory.CreateTempSubdirectory("recontext-device-").FullName;
        try
        {
            var baseDir = Organism.ToyBaseModel.TrainOrLoad(TinyRuns.Base, Path.Combine(dir, "cache"));
            var config = new RunConfig { Base = TinyRuns.Base, Device = "cuda", Steps = 1, PromptsPerStep = 1, SamplesPerPrompt = 2, MaxNewTokens = 8, EvalTasks = 1 };
            var error = await Assert.ThrowsAnyAsync<Exception>(() => new RunLoop(config, baseDir, Path.Combine(dir, "run")).RunAsync());
            Assert.Contains("this libtorch has no CUDA or sees no GPU", error.ToString());
            Assert.Contains("TorchBackend=cuda", error.ToString());
            var cpu = await new RunLoop(config with { Device = "cpu" }, baseDir, Path.Combine(dir, "run-cpu")).RunAsync();
            Assert.Equal([1], cpu.Steps.Select(s => s.Step));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task ASecondRunIntoTheSameFolderIsRefused()
    {
        var dir = Directory.CreateTempSubdirectory("recontext-lock-").FullName;
        try
        {
            using (RunFolderLock.Take(dir))
            {
                var error = Assert.Throws<IOException>(() => RunFolderLock.Take(dir));
                Assert.Contains($"{dir} is in use by another run", error.Message);
                var config = new RunConfig { Base = TinyRuns.Base, Steps = 1, PromptsPerStep = 1, SamplesPerPrompt = 2, MaxNewTokens = 8, EvalTasks = 1 };
                await Assert.ThrowsAsync<IOException>(() => new RunLoop(config, dir, dir).RunAsync());
                Assert.False(File.Exists(Path.Combine(dir, "metrics.csv")));
            }
            RunFolderLock.Take(dir).Dispose();   // free again once the holder is done
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void AFolderIsHeldWhileALiveProcessStartedWhenItsOwnerFileSaysHoldsIt()
    {
        var dir = Directory.CreateTempSubdirectory("recontext-owner-").FullName;
        try
        {
            Assert.False(RunFolderLock.IsHeld(dir));
            using (RunFolderLock.Take(dir)) Assert.True(RunFolderLock.IsHeld(dir));
            Assert.False(RunFolderLock.IsHeld(dir));   // released: the owner file went with the lock

            var owner = Path.Combine(dir, RunFolderLock.OwnerFileName);
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            long started = self.StartTime.ToUniversalTime().Ticks;
            // Another process's estimate of this start time differs by milliseconds: still this process.
            File.WriteAllText(owner, $"{Environment.ProcessId} {started + TimeSpan.FromMilliseconds(30).Ticks}");
            Assert.True(RunFolderLock.IsHeld(dir));
            // A crashed holder whose id a later process reuses: not held.
            File.WriteAllText(owner, $"{Environment.ProcessId} {started - TimeSpan.FromHours(1).Ticks}");
            Assert.False(RunFolderLock.IsHeld(dir));
            File.WriteAllText(owner, $"{int.MaxValue} {started}");
            Assert.False(RunFolderLock.IsHeld(dir));
            File.WriteAllText(owner, "garbage");
            Assert.False(RunFolderLock.IsHeld(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ADamagedCursorIsNamed()
    {
        var dir = Directory.CreateTempSubdirectory("recontext-cursor-").FullName;
        try
        {
            RunState.Commit(dir, 3);
            Assert.Equal(3, RunState.CompletedStep(dir));
            File.WriteAllText(Path.Combine(dir, "state", "cursor.json"), "{\"Comple");
            var error = Assert.Throws<InvalidDataException>(() => RunState.CompletedStep(dir));
            Assert.Contains("cursor.json is damaged", error.Message);
            Assert.Contains("to start the run over", error.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
