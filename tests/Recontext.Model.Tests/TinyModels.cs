using Recontext.Model;
using Recontext.Model.Modules;
using Recontext.Prompts.Tokenization;

namespace Recontext.Model.Tests;

/// <summary>Small configurations the tests build models from.</summary>
static class TinyModels
{
    /// <summary>Qwen3-style: grouped-query attention (4 query heads, 2 kv heads), q/k norm, byte vocabulary.</summary>
    public static TransformerConfig Qwen3Style(bool tied = true) => new()
    {
        ModelType = "qwen3",
        VocabSize = new ByteTokenizer().VocabSize,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDimOverride = 8,
        MaxPositionEmbeddings = 128,
        TieWordEmbeddings = tied,
    };

    /// <summary>Random weights with a large spread, so logits are far from uniform and greedy choices are clear.</summary>
    public static CausalLm Random(long seed = 7, bool tied = true) => CausalLm.Create(Qwen3Style(tied), seed, initStd: 0.3);
}

static class RepoPaths
{
    /// <summary>The repository root (the folder holding Recontext.slnx).</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Recontext.slnx"))) return dir.FullName;
            throw new InvalidOperationException($"no Recontext.slnx above {AppContext.BaseDirectory}");
        }
    }
}
