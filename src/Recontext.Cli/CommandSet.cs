using Recontext.Cli.Commands;

namespace Recontext.Cli;

/// <summary>Dispatches the first word to a command and prints help and usage errors.</summary>
public sealed class CommandSet(IReadOnlyList<ICliCommand> commands)
{
    public int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            PrintHelp();
            return args.Length == 0 ? 2 : 0;
        }
        var command = commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            Console.Error.WriteLine($"recontext: unknown command '{args[0]}'; run `recontext --help` for the list");
            return 2;
        }
        if (args.Skip(1).Any(a => a is "--help" or "-h"))
        {
            Console.WriteLine(command.Usage);
            return 0;
        }
        try
        {
            return command.Run(args[1..]);
        }
        catch (CliUsageException e)
        {
            Console.Error.WriteLine($"recontext {command.Name}: {e.Message}");
            Console.Error.WriteLine("usage:");
            Console.Error.WriteLine(command.Usage);
            return 2;
        }
    }

    void PrintHelp()
    {
        Console.WriteLine("recontext — post-training language models with recontextualization");
        Console.WriteLine();
        Console.WriteLine("usage: recontext COMMAND [ARGS]   (recontext COMMAND --help for details)");
        Console.WriteLine();
        Console.WriteLine("commands:");
        int width = commands.Max(c => c.Name.Length) + 2;
        foreach (var c in commands) Console.WriteLine($"  {c.Name.PadRight(width)}{c.Summary}");
    }
}
