using System.Globalization;
using System.Security;
using System.Text;
using Keel.Core.Lineage;

namespace Keel.Application;

/// <summary>
/// Lineage graphs as pictures: Graphviz DOT for people who have Graphviz, and a self-contained SVG
/// for everyone else. The SVG layout is written here because the graph always has the same four
/// layers (datasets → runs → models → endpoints): a column per layer is the whole layout problem,
/// and no .NET library on offer lays out and renders graphs without a native Graphviz.
/// </summary>
public static class LineageRendering
{
    private static readonly string[] Layers = ["dataset", "run", "model", "endpoint"];

    private static readonly Dictionary<string, (string Fill, string Stroke)> Colours = new(StringComparer.Ordinal)
    {
        ["dataset"] = ("#e8f1fb", "#2f6db3"),
        ["run"] = ("#eef7ec", "#3d8b37"),
        ["model"] = ("#fdf3e4", "#c77d14"),
        ["endpoint"] = ("#f6eaf6", "#8c3d8c"),
    };

    /// <summary>The graph in Graphviz's DOT language, left to right, one cluster-free node per entity.</summary>
    public static string ToDot(LineageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var dot = new StringBuilder("digraph lineage {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
        foreach (var node in graph.Nodes)
        {
            var (fill, stroke) = Colours.GetValueOrDefault(node.Kind, ("#ffffff", "#555555"));
            dot.Append(CultureInfo.InvariantCulture, $"  {Quote(node.Id)} [label={Quote(node.Kind + "\n" + node.Label)}, fillcolor={Quote(fill)}, color={Quote(stroke)}{(node.Id == graph.Root ? ", penwidth=2.5" : string.Empty)}];\n");
        }

        foreach (var edge in graph.Edges)
        {
            dot.Append(CultureInfo.InvariantCulture, $"  {Quote(edge.From)} -> {Quote(edge.To)} [label={Quote(edge.Relation)}];\n");
        }

        return dot.Append("}\n").ToString();
    }

    /// <summary>The graph as a standalone SVG: one column per layer, edges as curves labelled with their relation.</summary>
    public static string ToSvg(LineageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        const int BoxWidth = 210, BoxHeight = 46, ColumnGap = 90, RowGap = 22, Margin = 24, Header = 28;
        var columns = Layers.Select(layer => graph.Nodes.Where(n => n.Kind == layer).ToList()).ToList();
        var positions = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
        var used = columns.Select((c, i) => (c, i)).Where(x => x.c.Count > 0).Select(x => x.i).ToList();
        for (var slot = 0; slot < used.Count; slot++)
        {
            var column = columns[used[slot]];
            for (var row = 0; row < column.Count; row++)
            {
                positions[column[row].Id] = (Margin + (slot * (BoxWidth + ColumnGap)), Margin + Header + (row * (BoxHeight + RowGap)));
            }
        }

        var width = Margin * 2 + Math.Max(1, used.Count) * BoxWidth + Math.Max(0, used.Count - 1) * ColumnGap;
        var height = Margin * 2 + Header + Math.Max(1, columns.Max(c => c.Count)) * (BoxHeight + RowGap);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#666\"/></marker></defs>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n");
        for (var slot = 0; slot < used.Count; slot++)
        {
            var x = Margin + (slot * (BoxWidth + ColumnGap)) + (BoxWidth / 2);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{Margin + 12}\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#444\">{Layers[used[slot]]}s</text>\n");
        }

        foreach (var edge in graph.Edges)
        {
            if (!positions.TryGetValue(edge.From, out var a) || !positions.TryGetValue(edge.To, out var b))
            {
                continue;
            }

            var (x1, y1, x2, y2) = (a.X + BoxWidth, a.Y + (BoxHeight / 2.0), b.X, b.Y + (BoxHeight / 2.0));
            var bend = Math.Max(30, (x2 - x1) / 2);
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"M{x1:0.#},{y1:0.#} C{x1 + bend:0.#},{y1:0.#} {x2 - bend:0.#},{y2:0.#} {x2:0.#},{y2:0.#}\" fill=\"none\" stroke=\"#666\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(x1 + x2) / 2:0.#}\" y=\"{((y1 + y2) / 2) - 4:0.#}\" text-anchor=\"middle\" fill=\"#666\" font-size=\"10\">{Escape(edge.Relation)}</text>\n");
        }

        foreach (var node in graph.Nodes)
        {
            if (!positions.TryGetValue(node.Id, out var p))
            {
                continue;
            }

            var (fill, stroke) = Colours.GetValueOrDefault(node.Kind, ("#ffffff", "#555555"));
            var strokeWidth = node.Id == graph.Root ? 2.8 : 1.3;
            svg.Append(CultureInfo.InvariantCulture, $"<g><title>{Escape(node.Id)}</title><rect x=\"{p.X:0.#}\" y=\"{p.Y:0.#}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"8\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{strokeWidth:0.#}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{p.X + 10:0.#}\" y=\"{p.Y + 19:0.#}\" font-weight=\"bold\" fill=\"#222\">{Escape(Shorten(node.Label, 28))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{p.X + 10:0.#}\" y=\"{p.Y + 36:0.#}\" fill=\"#555\" font-size=\"10\">{Escape(Shorten(node.Id, 36))}</text></g>\n");
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
