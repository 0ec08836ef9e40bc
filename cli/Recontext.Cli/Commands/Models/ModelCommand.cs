using System.CommandLine;

namespace Recontext.Cli.Commands.Models;

/// <summary>`recontext model init|inspect`: write a Hugging Face model folder, or describe one.</summary>
public sealed class ModelCommand : ICliCommand
{
    public Command Build() => new("model", "Hugging Face model folders: write a random one, or describe one")
    {
        ModelInitCommand.Build(), ModelInspectCommand.Build(),
    };
}
