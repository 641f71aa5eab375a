using System.Globalization;
using System.Net;
using System.Text;
using Keel.Compute.Drift;

namespace Keel.Application.Monitoring;

/// <summary>
/// One self-contained HTML page: a summary, then per column overlaid reference/current histograms as
/// inline SVG. Written by <c>keel monitor drift --report</c> and the pipelines' <c>drift_report</c> step.
/// </summary>
public static class DriftReport
{
    private const int Width = 560;
    private const int Height = 180;
    private const int MaxBars = 40;

    /// <summary>The page for <paramref name="drift"/>, naming the two tables compared.</summary>
    public static string ToHtml(DatasetDriftResult drift, string reference, string current)
    {
        ArgumentNullException.ThrowIfNull(drift);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Keel drift report</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}")
            .Append(".drift{color:#c0392b;font-weight:bold}.ok{color:#27ae60}.col{margin:1.5em 0}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}</style></head><body>")
            .Append("<h1>Drift report</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>Reference: <code>{E(reference)}</code><br>Current: <code>{E(current)}</code></p>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"{(drift.DatasetDrift ? "drift" : "ok")}\">{(drift.DatasetDrift ? "Dataset drift" : "No dataset drift")}: ")
            .Append(CultureInfo.InvariantCulture, $"{drift.NumberOfDriftedColumns} of {drift.NumberOfColumns} columns drifted ({F(drift.ShareOfDriftedColumns)}; drift share {F(drift.DriftShare)}).</p>")
            .Append("<table><tr><th>column</th><th>type</th><th>method</th><th>score</th><th>threshold</th><th>verdict</th><th>binning</th></tr>");
        foreach (var c in drift.Columns)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td><a href=\"#c-{E(c.Column)}\">{E(c.Column)}</a></td><td>{c.ColumnType}</td><td>{c.StatTest}</td><td>{F(c.DriftScore)}</td><td>{F(c.Threshold)}</td>{Verdict(c)}<td>{E(c.Binning)}</td></tr>");
        }

        html.Append("</table><p class=\"legend\"><span style=\"background:#4a78c2\"></span>reference<span style=\"background:#e67e22\"></span>current (shares of each sample)</p>");
        foreach (var c in drift.Columns)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"col\" id=\"c-{E(c.Column)}\"><h2>{E(c.Column)}</h2><p>{c.StatTest} = {F(c.DriftScore)} (threshold {F(c.Threshold)}): ")
                .Append(c.DriftDetected ? "<span class=\"drift\">drift</span>" : "<span class=\"ok\">no drift</span>")
                .Append(CultureInfo.InvariantCulture, $"; {c.ReferenceCount} reference and {c.CurrentCount} current values; {E(c.Binning)}{(c.Exact ? "" : "; approximate")}.</p>")
                .Append(Svg(c.Histogram)).Append("</div>");
        }

        return html.Append("</body></html>").ToString();
    }

    private static string Verdict(ColumnDriftResult c) => c.DriftDetected ? "<td class=\"drift\">drift</td>" : "<td class=\"ok\">ok</td>";

    private static string Svg(DriftHistogram h)
    {
        var r = h.ReferenceCounts.ToList();
        var c = h.CurrentCounts.ToList();
        var labels = h.Categories?.ToList() ?? Enumerable.Range(0, r.Count).Select(i => F(h.Edges![i])).ToList();
        if (r.Count > MaxBars)
        {
            // Keep the largest reference categories; fold the rest into one bar.
            var keep = Enumerable.Range(0, r.Count).OrderByDescending(i => r[i] + c[i]).Take(MaxBars - 1).Order().ToList();
            var rest = Enumerable.Range(0, r.Count).Except(keep).ToList();
            labels = keep.Select(i => labels[i]).Append("(other)").ToList();
            r = keep.Select(i => r[i]).Append(rest.Sum(i => r[i])).ToList();
            c = keep.Select(i => c[i]).Append(rest.Sum(i => c[i])).ToList();
        }

        double totalR = Math.Max(1, r.Sum()), totalC = Math.Max(1, c.Sum());
        var shares = r.Select(v => v / totalR).Concat(c.Select(v => v / totalC)).DefaultIfEmpty(0).Max();
        var max = shares <= 0 ? 1 : shares;
        var plotHeight = Height - 30;
        var barWidth = (double)(Width - 20) / Math.Max(1, r.Count);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">")
            .Append(CultureInfo.InvariantCulture, $"<line x1=\"10\" y1=\"{plotHeight}\" x2=\"{Width - 10}\" y2=\"{plotHeight}\" stroke=\"#888\"/>");
        for (var i = 0; i < r.Count; i++)
        {
            var x = 10 + i * barWidth;
            var hr = r[i] / totalR / max * (plotHeight - 5);
            var hc = c[i] / totalC / max * (plotHeight - 5);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:F1}\" y=\"{plotHeight - hr:F1}\" width=\"{barWidth * 0.9:F1}\" height=\"{hr:F1}\" fill=\"#4a78c2\" fill-opacity=\"0.55\"><title>{E(labels[i])} reference {r[i]}</title></rect>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:F1}\" y=\"{plotHeight - hc:F1}\" width=\"{barWidth * 0.9:F1}\" height=\"{hc:F1}\" fill=\"#e67e22\" fill-opacity=\"0.55\"><title>{E(labels[i])} current {c[i]}</title></rect>");
        }

        if (labels.Count > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{Height - 8}\" font-size=\"11\">{E(labels[0])}</text>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - 10}\" y=\"{Height - 8}\" font-size=\"11\" text-anchor=\"end\">{E(h.Edges is { } e ? F(e[^1]) : labels[^1])}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
