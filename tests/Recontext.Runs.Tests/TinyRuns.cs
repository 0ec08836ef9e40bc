using Recontext.Organism;

namespace Recontext.Runs.Tests;

/// <summary>The tiny, briefly trained base the run tests build themselves (seconds on CPU).</summary>
static class TinyRuns
{
    public static readonly BaseModelOptions Base = new() { DModel = 32, Layers = 1, Steps = 3, BatchSize = 4 };
}
