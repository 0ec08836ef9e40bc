using System.Globalization;

namespace Recontext.Gateway.Dashboard;

/// <summary>How the pages write numbers and times.</summary>
public static class Format
{
    public static string Rate(double rate) => rate.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Number(double value, string format = "0.###") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>"mean ± se"</summary>
    public static string MeanSe(double mean, double se) => $"{Rate(mean)} ± {Rate(se)}";

    public static string Time(DateTime? utc) => utc is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—";
}
