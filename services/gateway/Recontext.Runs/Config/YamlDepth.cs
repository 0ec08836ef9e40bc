using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Recontext.Runs.Config;

/// <summary>
/// Refuses YAML nested deeper than any experiment needs, before a document model is built: YamlDotNet's representation
/// model recurses once per level, so 32,700 nested <c>[</c> overflow the stack and kill the process (no exception to
/// catch). The parser itself is a state machine, so walking its events costs no stack.
/// </summary>
public static class YamlDepth
{
    public const int Max = 64;

    /// <exception cref="ExperimentException">nested deeper than <see cref="Max"/> (the message names the line)</exception>
    /// <exception cref="YamlException">not valid YAML (the caller reports it)</exception>
    public static void Check(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        int depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case SequenceStart or MappingStart:
                    if (++depth > Max)
                        throw new ExperimentException($"the YAML is nested deeper than {Max} levels (line {parser.Current!.Start.Line}); no experiment field needs that");
                    break;
                case SequenceEnd or MappingEnd:
                    depth--;
                    break;
            }
        }
    }

    /// <summary>The first document's root, read only after its depth is checked; null for an empty text.</summary>
    /// <exception cref="ExperimentException">not valid YAML, or nested too deep (the message names the line)</exception>
    public static YamlNode? Root(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            Check(yaml);
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ExperimentException($"not valid YAML at line {e.Start.Line}: {e.Message}");
        }
        return stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
    }
}
