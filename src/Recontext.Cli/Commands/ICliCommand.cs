namespace Recontext.Cli.Commands;

/// <summary>One top-level verb of the `recontext` command line.</summary>
public interface ICliCommand
{
    string Name { get; }

    /// <summary>One line for `recontext --help`.</summary>
    string Summary { get; }

    /// <summary>Usage lines shown by `recontext NAME --help` and after a usage error.</summary>
    string Usage { get; }

    /// <returns>process exit code</returns>
    int Run(IReadOnlyList<string> args);
}
