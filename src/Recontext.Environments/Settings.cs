using Recontext.Environments;
using Recontext.Environments.EvalOverwrite;
using Recontext.Environments.Lying;
using Recontext.Environments.Mbpp;
using Recontext.Environments.MetricGaming;
using Recontext.Environments.Sycophancy;
using Recontext.Environments.ToyCode;

namespace Recontext.Environments;

/// <summary>
/// Every setting by name: registering one is one line here (docs/environments.md). Nothing else in the code switches
/// on a setting's name: runs, the judge, the demo and the reports reach a setting through this registry and
/// <see cref="IEnvironment"/>.
/// </summary>
public static class Settings
{
    static readonly IReadOnlyDictionary<string, Func<SettingOptions, IEnvironment>> Registered = new Dictionary<string, Func<SettingOptions, IEnvironment>>
    {
        [ToyCodeEnvironment.EnvironmentName] = o => new ToyCodeEnvironment(o.ToyCode),
        [MbppEnvironment.EnvironmentName] = o => new MbppEnvironment(o.MbppRows, o.Sandbox?.Invoke()),
        [MbppEvalOverwriteEnvironment.EnvironmentName] = o => new MbppEvalOverwriteEnvironment(o.MbppRows, o.Sandbox?.Invoke()),
        [SycophancyEnvironment.EnvironmentName] = _ => new SycophancyEnvironment(),
        [MetricGamingEnvironment.EnvironmentName] = _ => new MetricGamingEnvironment(),
        [EvalOverwriteEnvironment.EnvironmentName] = _ => new EvalOverwriteEnvironment(),
        [LyingEnvironment.EnvironmentName] = o => new LyingEnvironment(o.Lying),
    };

    /// <summary>The settings that draw Python problems from mbpp rows (<see cref="SettingOptions.MbppRows"/>) and judge them
    /// in the sandbox; they need a model folder that writes Python.</summary>
    public static readonly IReadOnlySet<string> PythonSettings = new HashSet<string> { MbppEnvironment.EnvironmentName, MbppEvalOverwriteEnvironment.EnvironmentName };

    /// <summary>The registered settings' names.</summary>
    public static IReadOnlyList<string> Names => [.. Registered.Keys];

    public static bool Exists(string name) => Registered.ContainsKey(name);

    /// <exception cref="ArgumentException">no setting of that name (the message lists the registered ones)</exception>
    public static IEnvironment Create(string name, SettingOptions? options = null) =>
        Registered.TryGetValue(name, out var create)
            ? create(options ?? new SettingOptions())
            : throw new ArgumentException(Unknown(name));

    /// <summary>The one-line error for a name that is not registered.</summary>
    public static string Unknown(string name) => $"setting '{name}' is unknown; allowed: {string.Join(", ", Registered.Keys)}";
}
