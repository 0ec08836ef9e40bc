using Recontext.Runs.Config;
using YamlDotNet.RepresentationModel;

namespace Recontext.Runs.Sweeps;

/// <summary>One setting of a sweep: a name ("optimizer.learningRate=0.0003, grpo.beta=0") and its validated config.</summary>
public sealed record SweepPoint(string Name, RunConfig Config);

/// <summary>
/// A sweep file: an experiment (every field of experiments/*.yaml) plus a <c>sweep</c> section that varies fields by
/// their dotted path — a <c>grid</c> (every combination of the values listed per field) and/or a list of
/// <c>points</c> (each a mapping of paths to values, with an optional <c>name</c>). Every point is the experiment with
/// its values set, parsed and validated like an experiment file: a bad path or value is an error naming the point and
/// the field, before anything runs. <c>references</c> names the points every other is compared with, seed by seed
/// (default: the first point).
/// </summary>
public sealed record SweepFile(string Name, IReadOnlyList<SweepPoint> Points, IReadOnlyList<long> Seeds, string? Output, IReadOnlyList<string> References)
{
    /// <summary>Fields a sweep cannot vary: what names the sweep and its runs, where it goes, and the model every point
    /// starts from (one base for all, so the points differ only in what the sweep says).</summary>
    static readonly string[] Fixed = ["name", "seed", "seeds", "output", "model", "environment"];

    /// <summary>At most this many points × seeds (a typo like a 100-value axis should not start a week of runs).</summary>
    public const int MaxRuns = 2_000;

    /// <summary>The same sweep with every point on the organism base pre-trained from <paramref name="baseSeed"/> (a sweep
    /// on several bases, `sweep --bases`).</summary>
    public SweepFile OnBase(long baseSeed) =>
        this with { Points = Points.Select(p => p with { Config = p.Config with { Base = p.Config.Base with { Seed = baseSeed } } }).ToList() };

    /// <param name="checkLimits">check every point against <see cref="RunLimits"/> (which reads the model folder) as
    /// a sweep about to run must; false only to read a file whose model folders are not made yet</param>
    public static SweepFile Load(string path, bool checkLimits = true) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), checkLimits) : throw new ExperimentException($"sweep file '{path}' does not exist");

    public static SweepFile Parse(string yaml, bool checkLimits = true)
    {
        var root = ReadYaml(yaml);
        var sweep = Take(root, "sweep") as YamlMappingNode ?? throw new ExperimentException("sweep: give a mapping with grid and/or points (see experiments/README.md)");
        var experiment = Save(root);
        var baseline = ExperimentFile.Parse(experiment);

        var settings = new List<(string? Name, List<(string Path, YamlNode Value)> Values)>();
        YamlSequenceNode? references = null;
        foreach (var (key, value) in sweep.Children)
        {
            switch ((key as YamlScalarNode)?.Value)
            {
                case "grid":
                    settings.AddRange(Grid(value as YamlMappingNode ?? throw new ExperimentException("sweep.grid must be a mapping of field paths to lists of values")));
                    break;
                case "points":
                    settings.AddRange(PointList(value as YamlSequenceNode ?? throw new ExperimentException("sweep.points must be a list of mappings of field paths to values")));
                    break;
                case "references":
                    references = value as YamlSequenceNode ?? throw new ExperimentException("sweep.references must be a list of point names");
                    break;
                default:
                    throw new ExperimentException($"unknown field 'sweep.{(key as YamlScalarNode)?.Value}'; allowed here: grid, points, references");
            }
        }
        if (settings.Count == 0) throw new ExperimentException("sweep: give at least one grid field or point");
        if ((long)settings.Count * baseline.Seeds.Count > MaxRuns)
            throw new ExperimentException($"sweep: {settings.Count} points × {baseline.Seeds.Count} seeds is {settings.Count * baseline.Seeds.Count} runs; at most {MaxRuns}");

        var points = settings.Select(s =>
        {
            var name = s.Name ?? string.Join(", ", s.Values.Select(v => $"{v.Path}={Render(v.Value)}"));
            var point = ReadYaml(experiment);
            foreach (var (path, value) in s.Values) Set(point, path, value, name);
            try
            {
                var parsed = ExperimentFile.Parse(Save(point));
                if (checkLimits) RunLimits.Check(parsed.Config);
                return new SweepPoint(name, parsed.Config with { Name = name });
            }
            catch (Exception e) when (e is ExperimentException or ArgumentException)
            {
                throw new ExperimentException($"sweep point '{name}': {e.Message}");
            }
        }).ToList();
        var duplicate = points.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ExperimentException($"sweep: two points are named '{duplicate.Key}'");
        return new SweepFile(baseline.Config.Name, points, baseline.Seeds, baseline.Output, ReferencePoints(references, points));
    }

    /// <summary>The points named by sweep.references, each a point of the sweep; without the field, the first point.</summary>
    static IReadOnlyList<string> ReferencePoints(YamlSequenceNode? listed, IReadOnlyList<SweepPoint> points)
    {
        if (listed is null) return [points[0].Name];
        var names = listed.Children.Select((node, i) => (node as YamlScalarNode)?.Value is { Length: > 0 } name ? name
            : throw new ExperimentException($"sweep.references[{i}] must be a point's name")).ToList();
        if (names.Count == 0) throw new ExperimentException("sweep.references lists no point");
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
            if (!points.Any(p => p.Name == name))
                throw new ExperimentException($"sweep.references[{i}] is '{name}', which is no point of the sweep; points: {string.Join(", ", points.Select(p => p.Name))}");
        return names.Distinct().ToList();
    }

    static IEnumerable<(string?, List<(string, YamlNode)>)> Grid(YamlMappingNode grid)
    {
        var axes = grid.Children.Select(kv =>
        {
            var path = Path(kv.Key, "sweep.grid");
            var values = kv.Value as YamlSequenceNode ?? throw new ExperimentException($"sweep.grid.{path} must be a list of values");
            if (values.Children.Count == 0) throw new ExperimentException($"sweep.grid.{path} lists no values");
            return values.Children.Select(v => (path, v)).ToList();
        }).ToList();
        IEnumerable<List<(string, YamlNode)>> combinations = [[]];
        foreach (var axis in axes) combinations = combinations.SelectMany(c => axis.Select(v => (List<(string, YamlNode)>)[.. c, v])).ToList();
        return combinations.Select(c => ((string?)null, c));
    }

    static IEnumerable<(string?, List<(string, YamlNode)>)> PointList(YamlSequenceNode points) => points.Children.Select((node, i) =>
    {
        var point = node as YamlMappingNode ?? throw new ExperimentException($"sweep.points[{i}] must be a mapping of field paths to values");
        string? name = null;
        var values = new List<(string, YamlNode)>();
        foreach (var (key, value) in point.Children)
        {
            if ((key as YamlScalarNode)?.Value == "name") name = (value as YamlScalarNode)?.Value ?? throw new ExperimentException($"sweep.points[{i}].name must be text");
            else values.Add((Path(key, $"sweep.points[{i}]"), value));
        }
        if (values.Count == 0) throw new ExperimentException($"sweep.points[{i}] sets no field");
        return (name, values);
    });

    static string Path(YamlNode key, string where)
    {
        var path = (key as YamlScalarNode)?.Value is { Length: > 0 } p ? p : throw new ExperimentException($"{where}: a field path must be text");
        if (Fixed.Contains(path.Split('.')[0]))
            throw new ExperimentException($"{where}.{path}: a sweep cannot vary {path.Split('.')[0]} (fixed for all points: {string.Join(", ", Fixed)})");
        return path;
    }

    /// <summary>Sets a dotted path in the experiment, making the mappings on the way.</summary>
    static void Set(YamlMappingNode root, string path, YamlNode value, string point)
    {
        var keys = path.Split('.');
        var node = root;
        foreach (var key in keys[..^1])
        {
            var child = node.Children.FirstOrDefault(kv => (kv.Key as YamlScalarNode)?.Value == key).Value;
            if (child is null) node.Children[new YamlScalarNode(key)] = child = new YamlMappingNode();
            node = child as YamlMappingNode ?? throw new ExperimentException($"sweep point '{point}': {path}: {key} is a value in the experiment, not a mapping");
        }
        var existing = node.Children.Keys.FirstOrDefault(k => (k as YamlScalarNode)?.Value == keys[^1]);
        if (existing is not null) node.Children.Remove(existing);
        node.Children[new YamlScalarNode(keys[^1])] = value;
    }

    /// <summary>A value as the point's name shows it: the scalar, or the YAML of a mapping or list on one line.</summary>
    static string Render(YamlNode value) => value is YamlScalarNode s ? s.Value ?? ""
        : string.Join(' ', Save(value).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l != "..."));

    static YamlNode? Take(YamlMappingNode root, string key)
    {
        var found = root.Children.Keys.FirstOrDefault(k => (k as YamlScalarNode)?.Value == key);
        if (found is null) return null;
        var value = root.Children[found];
        root.Children.Remove(found);
        return value;
    }

    static YamlMappingNode ReadYaml(string yaml) =>
        YamlDepth.Root(yaml) as YamlMappingNode ?? throw new ExperimentException("the sweep file must be a mapping");

    static string Save(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
