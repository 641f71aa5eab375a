using System.Globalization;
using System.Net;
using System.Text;

namespace Keel.Training;

/// <summary>
/// Minimal SVG charts (lines, points, a heatmap). Hand-written rather than ScottPlot/SkiaSharp
/// PNGs: on this build's machines there are no system fonts, and SkiaSharp rendered every title,
/// axis label and tick as nothing, so PNGs were unreadable; SVG text is drawn by the viewer, needs
/// no native library, and the bytes are deterministic (same run, same file).
/// </summary>
internal static class SvgChart
{
    private const int Width = 560;
    private const int Height = 420;
    private const int Left = 64;
    private const int Right = 20;
    private const int Top = 40;
    private const int Bottom = 52;
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

    /// <summary>One series: points joined by a line, or drawn as dots.</summary>
    public sealed record Series(string Name, double[] X, double[] Y, bool Dots = false, bool Dashed = false);

    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, (double Min, double Max)? xRange = null, (double Min, double Max)? yRange = null)
    {
        var xs = series.SelectMany(s => s.X).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var ys = series.SelectMany(s => s.Y).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var (x0, x1) = xRange ?? Pad(xs.Min(), xs.Max());
        var (y0, y1) = yRange ?? Pad(ys.Min(), ys.Max());
        var svg = Begin(title);
        Axes(svg, xLabel, yLabel, x0, x1, y0, y1);
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var color = Palette[i % Palette.Length];
            var points = Enumerable.Range(0, s.X.Length).Where(k => double.IsFinite(s.X[k]) && double.IsFinite(s.Y[k]))
                .Select(k => (Px(s.X[k], x0, x1), Py(s.Y[k], y0, y1))).ToList();
            if (s.Dots)
            {
                foreach (var (px, py) in points)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{px:F1}\" cy=\"{py:F1}\" r=\"2.5\" fill=\"{color}\" fill-opacity=\"0.6\"/>");
                }
            }
            else if (points.Count > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{(s.Dashed ? " stroke-dasharray=\"5,4\"" : string.Empty)} points=\"");
                svg.AppendJoin(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Item1:F1},{p.Item2:F1}")));
                svg.Append("\"/>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right - 150}\" y=\"{Top + 8 + (i * 18)}\" width=\"12\" height=\"12\" fill=\"{color}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right - 132}\" y=\"{Top + 18 + (i * 18)}\" font-size=\"12\">{Esc(s.Name)}</text>");
        }

        return End(svg);
    }

    public static string Heatmap(string title, IReadOnlyList<string> rows, IReadOnlyList<string> columns, long[,] counts, string xLabel, string yLabel)
    {
        var svg = Begin(title);
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        var cw = plotW / (double)columns.Count;
        var ch = plotH / (double)rows.Count;
        var max = Math.Max(1, counts.Cast<long>().Max());
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var share = counts[r, c] / (double)max;
                var shade = (int)(255 - (share * 200));
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left + (c * cw):F1}\" y=\"{Top + (r * ch):F1}\" width=\"{cw:F1}\" height=\"{ch:F1}\" fill=\"rgb({shade},{shade},255)\" stroke=\"#fff\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + ((c + 0.5) * cw):F1}\" y=\"{Top + ((r + 0.5) * ch) + 5:F1}\" text-anchor=\"middle\" font-size=\"14\">{counts[r, c]}</text>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Top + ((r + 0.5) * ch) + 4:F1}\" text-anchor=\"end\" font-size=\"11\">{Esc(rows[r])}</text>");
        }

        for (var c = 0; c < columns.Count; c++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + ((c + 0.5) * cw):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\">{Esc(columns[c])}</text>");
        }

        Labels(svg, xLabel, yLabel);
        return End(svg);
    }

    private static StringBuilder Begin(string title)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\">");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Esc(title)}</text>");
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static void Axes(StringBuilder svg, string xLabel, string yLabel, double x0, double x1, double y0, double y1)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#333\"/>");
        for (var i = 0; i <= 5; i++)
        {
            var xv = x0 + ((x1 - x0) * i / 5);
            var yv = y0 + ((y1 - y0) * i / 5);
            var px = Px(xv, x0, x1);
            var py = Py(yv, y0, y1);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{px:F1}\" y1=\"{Top}\" x2=\"{px:F1}\" y2=\"{Height - Bottom}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{py:F1}\" x2=\"{Width - Right}\" y2=\"{py:F1}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{px:F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\">{Tick(xv)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{py + 4:F1}\" text-anchor=\"end\" font-size=\"11\">{Tick(yv)}</text>");
        }

        Labels(svg, xLabel, yLabel);
    }

    private static void Labels(StringBuilder svg, string xLabel, string yLabel)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\" font-size=\"13\">{Esc(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 16 {(Top + Height - Bottom) / 2})\">{Esc(yLabel)}</text>");
    }

    private static (double, double) Pad(double min, double max) => max > min ? (min - ((max - min) * 0.05), max + ((max - min) * 0.05)) : (min - 1, max + 1);

    private static double Px(double x, double x0, double x1) => Left + ((x - x0) / (x1 - x0) * (Width - Left - Right));

    private static double Py(double y, double y0, double y1) => Height - Bottom - ((y - y0) / (y1 - y0) * (Height - Top - Bottom));

    private static string Tick(double v) => Math.Abs(v) >= 1000 || (Math.Abs(v) < 0.01 && v != 0) ? v.ToString("0.##E0", CultureInfo.InvariantCulture) : v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
