using Keel.Application;
using Keel.Core.Errors;
using Keel.Core.Lineage;
using Keel.Core.Wire;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>Keel's lineage API (/api/2.0/keel/lineage): upstream and downstream of a dataset version, run, model version or endpoint.</summary>
internal static class LineageEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/lineage", "/ajax-api/2.0/keel/lineage" })
        {
            app.MapGet(prefix, (Delegate)TraceAsync).WithTags("Lineage")
                .Describe<LineageGraph>(
                    "Trace lineage",
                    "Nodes (dataset versions, runs, model versions, endpoints) and the edges between them, upstream (what it was made from) and/or downstream (what was made from it). format=dot or svg answers a picture instead of JSON.",
                    400, 404)
                .Query("uri", "datasets:/NAME/VERSION (or @ALIAS, @latest), runs:/RUN_ID, models:/NAME/VERSION (or @ALIAS) or endpoints:/NAME.", required: true)
                .Query("direction", "both (default), upstream or downstream.")
                .Query("format", "json (default), dot or svg.");
        }
    }

    private static async Task TraceAsync(HttpContext context)
    {
        var direction = LineageService.ParseDirection(QueryArgs.String(context, "direction"));
        var format = QueryArgs.String(context, "format") ?? "json";
        if (format is not ("json" or "dot" or "svg"))
        {
            throw KeelException.InvalidParameter($"Invalid format '{format}': expected json, dot or svg.");
        }

        var graph = await context.RequestServices.GetRequiredService<LineageService>().TraceAsync(QueryArgs.String(context, "uri"), direction, context.RequestAborted).ConfigureAwait(false);
        switch (format)
        {
            case "dot":
                context.Response.ContentType = "text/vnd.graphviz; charset=utf-8";
                await context.Response.WriteAsync(LineageRendering.ToDot(graph), context.RequestAborted).ConfigureAwait(false);
                break;
            case "svg":
                context.Response.ContentType = "image/svg+xml; charset=utf-8";
                await context.Response.WriteAsync(LineageRendering.ToSvg(graph), context.RequestAborted).ConfigureAwait(false);
                break;
            default:
                await WireIO.WriteAsync(context, graph, DatasetJson.Default.LineageGraph).ConfigureAwait(false);
                break;
        }
    }
}
