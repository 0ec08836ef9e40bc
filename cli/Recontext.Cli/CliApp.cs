using System.CommandLine;
using Recontext.Cli.Commands;

namespace Recontext.Cli;

/// <summary>
/// The `recontext` command line on System.CommandLine: every command declares typed options (help is generated from
/// them, values are parsed and validated before the command runs, and shells complete them through the
/// <c>[suggest]</c> directive that dotnet-suggest uses). A usage error is one line per problem naming the option,
/// and exit code 2.
/// </summary>
public static class CliApp
{
    public const int UsageError = 2;

    public static RootCommand Root(IEnumerable<ICliCommand> commands)
    {
        var root = new RootCommand("recontext — post-training language models with recontextualization");
        foreach (var command in commands) root.Subcommands.Add(command.Build());
        return root;
    }

    public static int Run(RootCommand root, string[] args)
    {
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke();
            return UsageError;
        }
        var parsed = root.Parse(args);
        var path = CommandPath(parsed);
        // `recontext frobnicate --help`: help would win over the unknown word and exit 0 with the root's help.
        if (parsed.CommandResult.Command is RootCommand && !args[0].StartsWith('-') && !args[0].StartsWith('['))
        {
            Console.Error.WriteLine($"recontext: unknown command '{args[0]}'; commands: {string.Join(", ", root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}");
            Console.Error.WriteLine("(`recontext --help` shows the options of each)");
            return UsageError;
        }
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"{path}: {error.Message}");
            Console.Error.WriteLine($"(`{path} --help` shows the options)");
            return UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliUsageException e)
        {
            Console.Error.WriteLine($"{path}: {e.Message}");
            Console.Error.WriteLine($"(`{path} --help` shows the options)");
            return UsageError;
        }
    }

    /// <summary>"recontext bench services": the words of the command that was parsed.</summary>
    static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(result.Command is RootCommand ? "recontext" : result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}

/// <summary>Wrong command-line use found by a command itself (beyond what its options' types and validators catch):
/// one line, exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
