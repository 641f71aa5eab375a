using System.Buffers;
using System.Text.Json;
using Keel.Application.Governance;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;

namespace Keel.Server.Endpoints;

/// <summary>
/// The audit log's read API (/api/2.0/keel/audit): filtered pages, the chain's verification, which
/// versions served an endpoint at a moment (and who changed and approved that), and the JSON Lines
/// export. There is no write route: the use cases append as they change things.
/// </summary>
internal static class AuditEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/audit", "/ajax-api/2.0/keel/audit" })
        {
            var group = app.MapGroup(prefix).WithTags("Audit");
            group.MapGet("/events", (Delegate)EventsAsync)
                .Describe<AuditEventsResponse>("List audit events", "Every recorded change (actor, action, resource, before and after, hash chain), newest first by default, filtered; page with after_sequence = next_after_sequence.", 400)
                .Query("actor", "Only this actor's events.")
                .Query("action", "Only actions starting with this (endpoint., registered_model.alias.set).")
                .Query("resource_type", "Only this kind of resource (endpoint, registered_model, dataset, ...).")
                .Query("resource", "Only this resource (churn, churn@champion).")
                .Query("approval_id", "Only events of this approval.", JsonSchemaType.Integer)
                .Query("since", "From this time: ISO 8601 or Unix milliseconds.")
                .Query("until", "Up to this time: ISO 8601 or Unix milliseconds.")
                .Query("after_sequence", "Continue after this sequence (below it newest first, above it oldest first).", JsonSchemaType.Integer)
                .Query("max_results", "The most events, 1-10000 (default 100).", JsonSchemaType.Integer)
                .Query("order", "newest (default) or oldest.");
            group.MapGet("/verify", (Delegate)VerifyAsync)
                .Describe<AuditVerifyResponse>("Verify the audit chain", "Recomputes every event's hash from its stored fields and checks each links to the one before; names the first broken link (hash_mismatch, previous_hash_mismatch, sequence_gap).", 400);
            group.MapGet("/at", (Delegate)AtAsync)
                .Describe<AuditAtResponse>("Which versions served an endpoint at a time", "The traffic split in force at `time` (model, version, percent), who made that change and when, and the approval it was made under.", 400, 404)
                .Query("time", "ISO 8601 or Unix milliseconds.")
                .Query("endpoint", "The endpoint's name.");
            group.MapGet("/export", (Delegate)ExportAsync)
                .Describe<AuditEventDto>("Export the audit log", "Every event oldest first as JSON Lines (application/jsonl), one event object per line, streamed.", 400);
        }
    }

    private static AuditService Service(HttpContext context) => context.RequestServices.GetRequiredService<AuditService>();

    private static async Task EventsAsync(HttpContext context)
    {
        var page = await Service(context).QueryAsync(
            QueryArgs.String(context, "actor"), QueryArgs.String(context, "action"), QueryArgs.String(context, "resource_type"), QueryArgs.String(context, "resource"),
            QueryArgs.String(context, "since"), QueryArgs.String(context, "until"), QueryArgs.Long(context, "after_sequence"), QueryArgs.Int(context, "max_results"),
            QueryArgs.String(context, "order"), QueryArgs.Long(context, "approval_id"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, page, AuditWireJson.Default.AuditEventsResponse).ConfigureAwait(false);
    }

    private static async Task VerifyAsync(HttpContext context) =>
        await WireIO.WriteAsync(context, await Service(context).VerifyAsync(context.RequestAborted).ConfigureAwait(false), AuditWireJson.Default.AuditVerifyResponse).ConfigureAwait(false);

    private static async Task AtAsync(HttpContext context)
    {
        var at = await Service(context).AtAsync(QueryArgs.String(context, "time"), QueryArgs.String(context, "endpoint"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, at, AuditWireJson.Default.AuditAtResponse).ConfigureAwait(false);
    }

    private static async Task ExportAsync(HttpContext context)
    {
        context.Response.ContentType = "application/jsonl; charset=utf-8";
        var body = context.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body);
        var lines = 0;
        await foreach (var e in Service(context).ExportAsync(context.RequestAborted).ConfigureAwait(false))
        {
            JsonSerializer.Serialize(writer, e, AuditWireJson.Default.AuditEventDto);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            writer.Reset();
            body.Write("\n"u8);
            if (++lines % 256 == 0)
            {
                await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }

        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
