namespace Recontext.Environments;

/// <summary>Which version of a task's environment the model sees (environment recontextualization).</summary>
public enum EnvironmentVariant
{
    /// <summary>The wrong visible test is shown: special-casing it earns reward.</summary>
    Loophole,
    /// <summary>The wrong test is replaced by its correct version: nothing to exploit.</summary>
    NoLoophole,
}
