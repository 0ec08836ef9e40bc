namespace Recontext.Gateway.Dashboard.Charts;

/// <summary>A line chart to draw as SVG on the server (<see cref="LineChartView"/>): one or more series over steps,
/// optionally with a band (mean ± standard error over seeds).</summary>
/// <param name="Id">a stable name for the chart on its page (tests and links find it by this)</param>
/// <param name="YLabel">the y axis's quantity with its unit, e.g. "hack rate (fraction of samples)"</param>
/// <param name="YRange">a fixed y range (rates: 0 to 1), or null to fit the data</param>
public sealed record LineChart(string Id, string Title, string YLabel, IReadOnlyList<ChartSeries> Series, (double Min, double Max)? YRange = null)
{
    public string XLabel { get; init; } = "step";

    public bool HasData => Series.Any(s => s.Points.Count > 0);
}

/// <param name="Points">(step, value), in step order</param>
/// <param name="Spread">± this much around each point's value (a standard error), drawn as a band; null for none</param>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points, IReadOnlyList<double>? Spread = null);
