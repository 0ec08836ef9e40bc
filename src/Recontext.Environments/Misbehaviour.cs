namespace Recontext.Environments;

/// <summary>
/// What a setting's misbehaviour is called, so that tables, plots and the dashboard speak of it in the setting's own
/// words while the columns stay one (<c>misbehaviour_rate</c>).
/// </summary>
/// <param name="Key">a short identifier (hack, sycophancy, metric-gaming, eval-overwrite)</param>
/// <param name="Name">what a misbehaving completion did, as a phrase ("special-cased a wrong test")</param>
public sealed record Misbehaviour(string Key, string Name);
