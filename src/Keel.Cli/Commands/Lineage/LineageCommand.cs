using System.CommandLine;
using System.Text.Json;
using Keel.Application;
using Keel.Cli.Infrastructure;
using Keel.Core.Lineage;
using Keel.Core.Wire;
using Spectre.Console;

namespace Keel.Cli.Commands.Lineage;

/// <summary><c>keel lineage URI [--direction both|upstream|downstream] [--format tree|json|dot|svg] [--out FILE]</c></summary>
internal static class LineageCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var uri = new Argument<string>("uri") { Description = "datasets:/NAME/VERSION (or @ALIAS, @latest), runs:/RUN_ID, models:/NAME/VERSION (or @ALIAS) or endpoints:/NAME." };
        var direction = new Option<string>("--direction") { Description = "both, upstream (what it was made from) or downstream (what was made from it).", DefaultValueFactory = _ => "both" };
        var format = new Option<string?>("--format") { Description = "tree (default), json, dot (Graphviz) or svg." };
        var output = new Option<string?>("--out") { Description = "Write the dot or svg picture to this file instead of stdout." };
        var command = new Command("lineage", "Show where a dataset version, run, model version or endpoint came from and what was made from it.") { uri, direction, format, output };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var graph = await session.Lineage().TraceAsync(result.GetValue(uri), LineageService.ParseDirection(result.GetValue(direction)), cancellationToken).ConfigureAwait(false);
            var chosen = result.GetValue(format) ?? (result.GetValue(store.Output) == OutputFormat.Json ? "json" : "tree");
            string? text = chosen switch
            {
                "json" => JsonSerializer.Serialize(graph, DatasetJson.Default.LineageGraph),
                "dot" => LineageRendering.ToDot(graph),
                "svg" => LineageRendering.ToSvg(graph),
                "tree" => null,
                _ => throw Core.Errors.KeelException.InvalidParameter($"Invalid --format '{chosen}': expected tree, json, dot or svg."),
            };
            if (text is null)
            {
                Print(graph);
            }
            else if (result.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file, text, cancellationToken).ConfigureAwait(false);
                AnsiConsole.MarkupLineInterpolated($"Wrote {chosen} lineage of {graph.Root} ({graph.Nodes.Count} nodes, {graph.Edges.Count} links) to [bold]{file}[/].");
            }
            else
            {
                Console.Out.Write(text);
            }

            return 0;
        });
        return command;
    }

    // Upstream as a tree growing left of the root, downstream as a tree under it.
    internal static void Print(LineageGraph graph)
    {
        var nodes = graph.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var root = new Tree(Label(nodes[graph.Root]) + " [grey](root)[/]");
        var up = graph.Edges.Where(e => e.To == graph.Root).ToList();
        if (up.Count > 0)
        {
            var upstream = root.AddNode("[bold]upstream[/]");
            Grow(upstream, graph.Root, graph, nodes, upward: true, []);
        }

        if (graph.Edges.Any(e => e.From == graph.Root))
        {
            var downstream = root.AddNode("[bold]downstream[/]");
            Grow(downstream, graph.Root, graph, nodes, upward: false, []);
        }

        AnsiConsole.Write(root);
        if (graph.Edges.Count == 0)
        {
            AnsiConsole.MarkupLine("[grey]No links yet.[/]");
        }
    }

    private static void Grow(IHasTreeNodes parent, string id, LineageGraph graph, Dictionary<string, LineageNode> nodes, bool upward, HashSet<string> path)
    {
        if (!path.Add(id))
        {
            return;
        }

        foreach (var edge in graph.Edges.Where(e => upward ? e.To == id : e.From == id))
        {
            var next = upward ? edge.From : edge.To;
            var child = parent.AddNode($"[grey]{Markup.Escape(edge.Relation)}[/] {Label(nodes[next])}");
            Grow(child, next, graph, nodes, upward, path);
        }

        path.Remove(id);
    }

    private static string Label(LineageNode node)
    {
        var colour = node.Kind switch { "dataset" => "blue", "run" => "green", "model" => "darkorange", _ => "purple" };
        var detail = string.Join(", ", node.Attributes.Where(a => a.Key is "status" or "stage" or "aliases" or "rows" or "environment").Select(a => $"{a.Key} {a.Value}"));
        return $"[{colour}]{node.Kind}[/] [bold]{Markup.Escape(node.Label)}[/] [grey]{Markup.Escape(node.Id)}{(detail.Length == 0 ? string.Empty : " · " + Markup.Escape(detail))}[/]";
    }
}
