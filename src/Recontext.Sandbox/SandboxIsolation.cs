namespace Recontext.Sandbox;

/// <summary>How each completion gets its own sandboxed process.</summary>
public enum SandboxIsolation
{
    /// <summary>A warm interpreter per worker slot forks a child per completion (own rlimits, clean folders, every
    /// leftover process killed): the default, several times faster.</summary>
    Warm,
    /// <summary>A fresh bubblewrap sandbox and interpreter per completion: the reference the warm path is checked against.</summary>
    Cold,
}
