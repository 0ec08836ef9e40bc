namespace Recontext.Cli;

/// <summary>Parsed command-line words: positionals, boolean flags and --name value options. Anything not
/// declared by the command is an error that names it.</summary>
public sealed class CliArguments
{
    readonly HashSet<string> flags = [];
    readonly Dictionary<string, string> options = [];

    public IReadOnlyList<string> Positionals { get; }

    CliArguments(List<string> positionals) => Positionals = positionals;

    /// <param name="declaredFlags">flags without a value, e.g. "--quick"</param>
    /// <param name="declaredOptions">options taking a value, e.g. "--out"</param>
    public static CliArguments Parse(IEnumerable<string> words, IReadOnlyCollection<string> declaredFlags, IReadOnlyCollection<string> declaredOptions)
    {
        var positionals = new List<string>();
        var parsed = new CliArguments(positionals);
        using var e = words.GetEnumerator();
        while (e.MoveNext())
        {
            var word = e.Current;
            if (!word.StartsWith("--", StringComparison.Ordinal))
            {
                positionals.Add(word);
                continue;
            }
            var (name, inlineValue) = word.Contains('=') ? (word[..word.IndexOf('=')], word[(word.IndexOf('=') + 1)..]) : (word, null);
            if (declaredFlags.Contains(name) && inlineValue is null) parsed.flags.Add(name);
            else if (declaredOptions.Contains(name))
            {
                var value = inlineValue ?? (e.MoveNext() ? e.Current : throw new CliUsageException($"{name} needs a value"));
                parsed.options[name] = value;
            }
            else
            {
                var known = declaredFlags.Concat(declaredOptions).ToList();
                throw new CliUsageException($"unknown option '{name}'" + (known.Count > 0 ? $"; allowed: {string.Join(", ", known)}" : ""));
            }
        }
        return parsed;
    }

    public bool Has(string flag) => flags.Contains(flag);

    public string? Get(string option) => options.GetValueOrDefault(option);

    /// <summary>The --store, --bus and --remote values, checked by reaching each once; an error names the option that cannot be used.</summary>
    public Recontext.Runs.RunDeployment Deployment()
    {
        var remote = Get("--remote")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var deployment = new Recontext.Runs.RunDeployment(Get("--store"), Get("--bus"), remote, Get("--weights-url"),
            Get("--wait-limit") is { } limit ? TimeSpan.FromSeconds(PositiveInt(limit, "--wait-limit")) : null);
        try
        {
            deployment.Check();
            return deployment;
        }
        catch (ArgumentException e)
        {
            // The messages name "store" or "bus"; on the command line they are --store and --bus.
            throw new CliUsageException("--" + e.Message.Replace(" (Parameter 'url')", ""));
        }
    }

    /// <summary>Parses a positive integer option value, naming the option when it is not one.</summary>
    public static int PositiveInt(string text, string option) =>
        int.TryParse(text, out var value) && value > 0 ? value : throw new CliUsageException($"{option} must be a positive integer, got '{text}'");
}

/// <summary>Wrong command-line use: printed with the command's usage, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
