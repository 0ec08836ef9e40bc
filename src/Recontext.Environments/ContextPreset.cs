namespace Recontext.Environments;

/// <summary>The three named instruction presets every environment defines.</summary>
public enum ContextPreset
{
    /// <summary>No instruction.</summary>
    Neutral,
    /// <summary>Discourages the misbehaviour (asks for a general solution, no special-casing).</summary>
    Good,
    /// <summary>Permits or invites it (passing the tests is all that matters).</summary>
    Bad,
}
