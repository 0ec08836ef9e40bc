using System.Globalization;

namespace Recontext.Gateway.Dashboard.Charts;

/// <summary>Where a <see cref="LineChart"/>'s axes, ticks, points and bands go in its SVG's coordinates. The SVG scales
/// to the page's width (a viewBox), so one geometry serves a phone and a desktop.</summary>
public sealed class ChartGeometry
{
    public const double Width = 640, Height = 300, Left = 56, Right = 12, Top = 12, Bottom = 40;

    /// <summary>Colours that stay apart for the usual colour-vision deficiencies (Okabe–Ito).</summary>
    static readonly string[] Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

    public LineChart Chart { get; }
    public double XMin { get; }
    public double XMax { get; }
    public double YMin { get; }
    public double YMax { get; }
    public IReadOnlyList<double> XTicks { get; }
    public IReadOnlyList<double> YTicks { get; }

    public ChartGeometry(LineChart chart)
    {
        Chart = chart;
        var points = chart.Series.SelectMany(s => s.Points.Select((p, i) => (p.X, Low: p.Y - (s.Spread?[i] ?? 0), High: p.Y + (s.Spread?[i] ?? 0)))).ToList();
        (XMin, XMax) = points.Count == 0 ? (0, 1) : (points.Min(p => p.X), points.Max(p => p.X));
        if (XMax <= XMin) XMax = XMin + 1;
        if (chart.YRange is { } range) (YMin, YMax) = range;
        else
        {
            double low = points.Count == 0 ? 0 : Math.Min(0, points.Min(p => p.Low)), high = points.Count == 0 ? 1 : points.Max(p => p.High);
            if (high <= low) high = low + 1;
            var ticks = NiceTicks(low, high);
            (YMin, YMax) = (Math.Min(low, ticks[0]), Math.Max(high, ticks[^1]));
        }
        XTicks = NiceTicks(XMin, XMax).Where(t => t >= XMin && t <= XMax).ToList();
        YTicks = NiceTicks(YMin, YMax).Where(t => t >= YMin - 1e-12 && t <= YMax + 1e-12).ToList();
    }

    public double X(double x) => Left + (x - XMin) / (XMax - XMin) * (Width - Left - Right);

    public double Y(double y) => Top + (1 - (Math.Clamp(y, YMin, YMax) - YMin) / (YMax - YMin)) * (Height - Top - Bottom);

    public static string Colour(int series) => Palette[series % Palette.Length];

    /// <summary>Solid for the first eight series; dashed once the colours repeat, so no two lines look alike.</summary>
    public static string? Dashes(int series) => series < Palette.Length ? null : "6 3";

    /// <summary>The series' line as an SVG path.</summary>
    public string Line(ChartSeries series) =>
        string.Join(" ", series.Points.Select((p, i) => $"{(i == 0 ? "M" : "L")}{N(X(p.X))},{N(Y(p.Y))}"));

    /// <summary>The series' band (value ± spread) as a closed SVG path, or null when it has none.</summary>
    public string? Band(ChartSeries series)
    {
        if (series.Spread is not { } spread || series.Points.Count < 2) return null;
        var upper = series.Points.Select((p, i) => $"{N(X(p.X))},{N(Y(p.Y + spread[i]))}");
        var lower = series.Points.Select((p, i) => $"{N(X(p.X))},{N(Y(p.Y - spread[i]))}").Reverse();
        return "M" + string.Join(" L", upper.Concat(lower)) + " Z";
    }

    /// <summary>An SVG &lt;text&gt; element (Razor reserves the tag name for itself), its text encoded.</summary>
    public static Microsoft.AspNetCore.Components.MarkupString Text(string cssClass, double x, double y, string anchor, string content, string? transform = null) =>
        new($"<text class=\"{cssClass}\" x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\"{(transform is null ? "" : $" transform=\"{transform}\"")}>{System.Net.WebUtility.HtmlEncode(content)}</text>");

    public static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Label(double v) => Math.Abs(v) >= 10000 || (Math.Abs(v) < 0.0001 && v != 0)
        ? v.ToString("0.##E+0", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>About five round tick values (1, 2 or 5 × a power of ten apart) covering [low, high].</summary>
    public static IReadOnlyList<double> NiceTicks(double low, double high)
    {
        double span = high - low, raw = span / 5, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var ticks = new List<double>();
        for (double t = Math.Floor(low / step) * step; t <= high + step * 1e-9; t += step) ticks.Add(Math.Round(t / step) * step);
        if (ticks[^1] < high) ticks.Add(ticks[^1] + step);
        return ticks;
    }
}
