using System.CommandLine;

namespace Recontext.Cli.Commands;

/// <summary>One top-level verb of the `recontext` command line: its options, arguments, help text and action.</summary>
public interface ICliCommand
{
    Command Build();
}
