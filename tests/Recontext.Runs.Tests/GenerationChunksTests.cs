using Recontext.Contracts;
using Recontext.Runs;
using Recontext.Runs.Bus;

namespace Recontext.Runs.Tests;

/// <summary>A batch split into chunks of prompt groups, and gathered back by the coordinator once each chunk is judged.</summary>
public class GenerationChunksTests
{
    static GenerateRollouts Batch(int groups, bool evaluation = false) => new()
    {
        RunId = "chunks", Step = 3, BatchId = Guid.NewGuid(), PolicyVersion = 2, SamplesPerPrompt = 2, Temperature = 1, MaxNewTokens = 4, Seed = 42,
        Prompts = Enumerable.Range(0, groups).Select(g => new PromptForGeneration { TaskId = $"t{g}", Group = g, PromptIds = [g] }).ToArray(),
        Tasks = [], Variant = "loophole", Evaluation = evaluation, Recontext = new RecontextRequest { Policy = "{}", Seed = 1 },
    };

    [Fact]
    public void ABatchSplitsIntoChunksOfGroupsWithSeedsOfTheirOwn()
    {
        var batch = Batch(5);
        Assert.Same(batch, Assert.Single(GenerationChunks.Split(batch, null)));
        Assert.Same(batch, Assert.Single(GenerationChunks.Split(batch, 8)));

        var chunks = GenerationChunks.Split(batch, 2);
        Assert.Equal([[0, 1], [2, 3], [4]], chunks.Select(c => c.Prompts.Select(p => p.Group).ToArray()));
        Assert.Equal([0, 1, 2], chunks.Select(c => c.Chunk));
        Assert.All(chunks, c => Assert.Equal((3, batch.BatchId), (c.Chunks, c.BatchId)));
        // Chunk 0 samples as the whole batch would; the others draw from seeds of their own.
        Assert.Equal(42, chunks[0].Seed);
        Assert.Equal(3, chunks.Select(c => c.Seed).Distinct().Count());
        Assert.Equal(chunks.Select(c => c.Seed), GenerationChunks.Split(batch, 2).Select(c => c.Seed));
        Assert.NotEqual(RunSeeds.Chunk(42, 1), RunSeeds.Chunk(43, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GenerationChunks.Split(batch, 0));
    }

    [Fact]
    public void JudgedChunksGatherInGroupOrderOnceWhateverTheirArrivalOrDuplicates()
    {
        var batch = Batch(3);
        var session = new RunSession("chunks");
        var pending = session.Begin(batch, 3);
        var chunks = GenerationChunks.Split(batch, 1);
        RolloutsJudged Judged(GenerateRollouts chunk) => new()
        {
            RunId = "chunks", Step = 3, BatchId = batch.BatchId, PolicyVersion = 2, Seconds = 0.5, GenerateSeconds = 1, Request = chunk,
            Completions = [.. Enumerable.Range(0, 2).Select(s => new SampledCompletion { Group = chunk.Chunk, SampleIndex = s, TokenIds = [], Text = $"{chunk.Chunk}.{s}", LogProbs = [] })],
            Scores = [.. Enumerable.Range(0, 2).Select(_ => new CompletionScore
            {
                TrainReward = chunk.Chunk, GroundTruth = 0, Correct = false, Misbehaved = false, AllVisible = false, Malformed = false, Verdict = "", MentionsTests = false,
                IntendsToPassTests = false, FlagsWrongTest = false,
            })],
        };

        var gathered = new List<RolloutsJudged?>();
        foreach (var chunk in new[] { chunks[2], chunks[0], chunks[2], chunks[1], chunks[1] })   // out of order, two redelivered
            gathered.Add(session.Record(batch.BatchId, 0.5, r => r.AddJudged(Judged(chunk)) ? r.Judged : null));

        // Only the chunk that completed the batch gathers it, once; a redelivery after that changes nothing.
        Assert.Equal([false, false, false, true, false], gathered.Select(g => g is not null));
        var whole = gathered[3]!;
        Assert.Equal(["0.0", "0.1", "1.0", "1.1", "2.0", "2.1"], whole.Completions.Select(c => c.Text));
        Assert.Equal([0.0, 0, 1, 1, 2, 2], whole.Scores.Select(s => s.TrainReward));
        Assert.Same(batch, whole.Request);
        Assert.Equal((1.5, 3.0), (whole.Seconds, whole.GenerateSeconds));
        Assert.Equal(ServiceRoles.Recontextualizer, pending.PendingRole);
        Assert.False(pending.Done.Task.IsCompleted);   // a training batch also waits for its samples and the update
    }
}
