namespace Recontext.Bench;

/// <summary>
/// The process's peak resident set over a stretch of work, from Linux's /proc: writing 5 to /proc/self/clear_refs
/// resets the high-water mark (VmHWM) to the current resident set, so the mark read after the work is that work's
/// peak. Resident memory, not the allocator's view: libtorch's CPU allocator hands large blocks back to the system
/// when freed, so the growth measures what the work held at its peak. Unsupported elsewhere (null).
/// </summary>
static class PeakMemory
{
    const string ClearRefs = "/proc/self/clear_refs", Status = "/proc/self/status";

    /// <summary>The resident set now, the baseline to measure several pieces of work against.</summary>
    public static long? Resident() => File.Exists(Status) ? Field("VmRSS:") : null;

    /// <param name="baseline">the resident set to measure from (<see cref="Resident"/> before the first piece of
    /// work): the allocator keeps some of what earlier work freed, so growth above the resident set at this work's
    /// own start would understate it</param>
    /// <returns>the peak resident bytes above <paramref name="baseline"/>, or null where /proc cannot tell</returns>
    public static long? Growth(long? baseline, Action work)
    {
        bool reset;
        try
        {
            File.WriteAllText(ClearRefs, "5");
            reset = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reset = false;   // no /proc here: the work still runs, unmeasured
        }
        work();
        return reset && baseline is long before && Field("VmHWM:") is long peak ? peak - before : null;
    }

    static long? Field(string name)
    {
        foreach (var line in File.ReadLines(Status))
            if (line.StartsWith(name, StringComparison.Ordinal) &&
                long.TryParse(line[name.Length..].Trim().Split(' ')[0], out var kib)) return kib * 1024;
        return null;
    }
}
