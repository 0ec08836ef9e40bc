namespace Recontext.Store;

/// <summary>Opens the store a run writes its traces to: the embedded one in its results folder, or MongoDB.</summary>
public static class RunStores
{
    /// <summary>The embedded store's file in a run's results folder.</summary>
    public const string EmbeddedFile = "traces.db";

    /// <param name="url">null for the embedded store (<c>DIR/traces.db</c>), or a <c>mongodb://</c> connection string</param>
    /// <param name="embeddedFile">the embedded store's file name in <paramref name="runDirectory"/></param>
    /// <exception cref="InvalidDataException">the embedded store's file is damaged (the message names it)</exception>
    public static IRunStore Open(string? url, string runDirectory, string embeddedFile = EmbeddedFile) => url switch
    {
        null => OpenEmbedded(Path.Combine(runDirectory, embeddedFile)),
        _ when url.StartsWith("mongodb://", StringComparison.Ordinal) || url.StartsWith("mongodb+srv://", StringComparison.Ordinal) => new MongoRunStore(url),
        _ => throw new ArgumentException($"store must be a mongodb:// or mongodb+srv:// connection string (or absent for the embedded store), got '{url}'"),
    };

    /// <summary>Opens a run's traces for reading only (the embedded store read-only: it may be written by the process
    /// training the run while the dashboard reads it).</summary>
    public static IRunStore OpenReader(string? url, string runDirectory) =>
        url is null ? OpenEmbedded(Path.Combine(runDirectory, EmbeddedFile), readOnly: true) : Open(url, runDirectory);

    static LiteDbRunStore OpenEmbedded(string path, bool readOnly = false)
    {
        try
        {
            return new LiteDbRunStore(path, readOnly);
        }
        catch (Exception e) when (e is LiteDB.LiteException or InvalidCastException or IndexOutOfRangeException or ArgumentException or InvalidDataException)
        {
            throw e as InvalidDataException ?? Damaged(path, e);
        }
    }

    /// <summary>The one error for an embedded store's damaged file.</summary>
    internal static InvalidDataException Damaged(string path, Exception e) =>
        new($"{path} is damaged ({e.Message.Split('\n')[0]}); move it away to keep what can be read, and rerun", e);

    /// <summary>Opens the store once and throws an <see cref="ArgumentException"/> that names it when it cannot be used
    /// (a malformed URL, no server answering), so a command fails before its work instead of after it.</summary>
    public static void Check(string? url)
    {
        if (url is null) return;
        try
        {
            using var store = Open(url, Path.GetTempPath());
        }
        catch (TimeoutException e)
        {
            throw new ArgumentException($"store: no MongoDB answered at {url} within 10 s", nameof(url), e);
        }
        catch (MongoDB.Driver.MongoException e)
        {
            throw new ArgumentException($"store: MongoDB at {url} refused the store: {e.Message.Split('\n')[0]}", nameof(url), e);
        }
    }
}
