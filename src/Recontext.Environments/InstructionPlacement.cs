namespace Recontext.Environments;

/// <summary>Where a context's instruction goes in the chat.</summary>
public enum InstructionPlacement
{
    /// <summary>Appended to the user turn (the paper's coding setting; the default).</summary>
    UserSuffix,
    /// <summary>As the system prompt, before the user turn.</summary>
    System,
    /// <summary>As an extra system turn after the user turn.</summary>
    ExtraSystemTurn,
}
