using System.Text.RegularExpressions;
using Recontext.TestSupport;

namespace Recontext.Runs.Tests.Architecture;

/// <summary>
/// The layers the folder tree promises: `src/` holds shared libraries that know no service, a service's projects
/// reference `src/` and services, and only the composition roots (`cli/`, tests, benchmarks) reference everything.
/// </summary>
public sealed partial class LayersTests
{
    static readonly string Root = RepositoryRoot.Path;

    static IEnumerable<(string Project, string Reference)> References(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/obj/") && !p.Contains("/bin/"))
            .SelectMany(p => ProjectReference().Matches(File.ReadAllText(p))
                .Select(m => (Path.GetRelativePath(Root, p), Path.GetRelativePath(Root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(p)!, m.Groups[1].Value))))));

    [Fact]
    public void NoSharedLibraryReferencesAService()
    {
        var references = References("src").ToList();
        Assert.NotEmpty(references);
        var outward = references.Where(r => !r.Reference.StartsWith("src/")).Select(r => $"{r.Project} → {r.Reference}").ToList();
        Assert.True(outward.Count == 0, "shared libraries reference outside src/: " + string.Join("; ", outward));
    }

    [Fact]
    public void NoServiceReferencesTheCommandLine()
    {
        var references = References("services").ToList();
        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, r => r.Reference.StartsWith("cli/") || r.Reference.StartsWith("bench/") || r.Reference.StartsWith("tests/"));
    }

    [GeneratedRegex("<ProjectReference Include=\"([^\"]+)\"")]
    private static partial Regex ProjectReference();
}
