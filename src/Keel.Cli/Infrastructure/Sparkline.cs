namespace Keel.Cli.Infrastructure;

/// <summary>A one-line chart of a series with block characters, small enough for a table cell.</summary>
internal static class Sparkline
{
    private const string Blocks = "▁▂▃▄▅▆▇█";

    /// <summary>Renders at most <paramref name="width"/> characters; longer series are averaged into buckets.</summary>
    public static string Render(IReadOnlyList<double> values, int width = 24)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return string.Empty;
        }

        var buckets = Math.Min(width, finite.Count);
        var points = new double[buckets];
        for (var b = 0; b < buckets; b++)
        {
            var from = b * finite.Count / buckets;
            var to = Math.Max(from + 1, (b + 1) * finite.Count / buckets);
            points[b] = finite.Skip(from).Take(to - from).Average();
        }

        var min = points.Min();
        var range = points.Max() - min;
        return new string(points.Select(p => Blocks[range == 0 ? Blocks.Length / 2 : (int)Math.Round((p - min) / range * (Blocks.Length - 1))]).ToArray());
    }
}
