using Microsoft.AspNetCore.Builder;

namespace Recontext.Hosting;

/// <summary>What every service's Program.cs does: build the host from the command line and run it; a missing or bad
/// setting is one line naming it, the usage, and exit code 2.</summary>
public static class HostProgram
{
    public static int Run(string[] args, string name, Func<string[], WebApplication> build, string usage)
    {
        try
        {
            build(args).Run();
            return 0;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{name}: {e.Message}");
            Console.Error.WriteLine(usage);
            return 2;
        }
    }
}
