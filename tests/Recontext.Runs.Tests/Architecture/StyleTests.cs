using Recontext.TestSupport;

namespace Recontext.Runs.Tests.Architecture;

/// <summary>
/// The build enforces .editorconfig's formatting (IDE0055, EnforceCodeStyleInBuild) but not the order of using
/// directives, which the analyzers do not report; this holds every C# file to it: System first, then alphabetical
/// (what `dotnet format` writes).
/// </summary>
public sealed class StyleTests
{
    static readonly string[] Folders = ["src", "services", "cli", "bench", "tests"];

    [Fact]
    public void UsingDirectivesAreSortedSystemFirst()
    {
        var files = Folders.SelectMany(f => Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, f), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains("/obj/") && !p.Contains("/bin/")).ToList();
        Assert.True(files.Count > 100, $"found {files.Count} C# files");
        var unsorted = files.Where(f => !Sorted(Usings(File.ReadLines(f)))).Select(f => Path.GetRelativePath(RepositoryRoot.Path, f)).ToList();
        Assert.True(unsorted.Count == 0, "using directives out of order (run `dotnet format Recontext.slnx --diagnostics IDE0055`): " + string.Join(", ", unsorted));
    }

    [Fact]
    public void TheCheckFindsAnUnsortedFile()
    {
        Assert.False(Sorted(Usings(["using Recontext.Store;", "using System.Text.Json;"])));
        Assert.False(Sorted(Usings(["using System.Text.Json;", "using System.Linq;"])));
        Assert.True(Sorted(Usings(["using System.Text.Json;", "using MassTransit;", "using Recontext.Store;", "using X = Y.Z;"])));
    }

    /// <summary>The file's plain using directives (not aliases or <c>using static</c>), in order.</summary>
    static List<string> Usings(IEnumerable<string> lines) =>
        lines.Select(l => l.Trim()).TakeWhile(l => l.Length == 0 || l.StartsWith("using ", StringComparison.Ordinal) || l.StartsWith("//", StringComparison.Ordinal))
            .Where(l => l.StartsWith("using ", StringComparison.Ordinal) && l.EndsWith(';') && !l.Contains('=') && !l.StartsWith("using static ", StringComparison.Ordinal))
            .Select(l => l["using ".Length..^1]).ToList();

    static bool Sorted(List<string> names) =>
        names.SequenceEqual(names.OrderBy(n => n == "System" || n.StartsWith("System.", StringComparison.Ordinal) ? 0 : 1).ThenBy(n => n, StringComparer.OrdinalIgnoreCase));
}
