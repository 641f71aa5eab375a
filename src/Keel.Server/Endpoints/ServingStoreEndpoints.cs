using System.Globalization;
using Keel.Application;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;

namespace Keel.Server.Endpoints;

/// <summary>
/// Keel's serving-store API (/api/2.0/keel/serving-store): the serving store port over HTTP for a
/// replica that reaches the control plane only by HTTP. Records go whole, with their revisions;
/// operators use the endpoints API (/api/2.0/keel/endpoints) instead.
/// </summary>
internal static class ServingStoreEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/serving-store", "/ajax-api/2.0/keel/serving-store" })
        {
            var group = app.MapGroup(prefix).WithTags("Serving store").PathParameter("name", "The endpoint name.");
            group.MapGet("/endpoints", (Delegate)ListAsync)
                .Describe<StoredEndpointsResponse>("List stored endpoints", "Every endpoint as stored, with its revision, by name.", 400)
                .Query("environment", "dev, staging or prod; every environment when absent.");
            group.MapPost("/endpoints", (Delegate)CreateAsync).Body<StoredEndpointRequest>()
                .Describe<StoredEndpointResponse>("Store a new endpoint", "Stores the endpoint at revision 1 with its audit event and change-feed entry. A name already taken is refused (RESOURCE_ALREADY_EXISTS).", 400);
            group.MapGet("/endpoints/{name}", FindAsync)
                .Describe<StoredEndpointResponse>("Read a stored endpoint", "The endpoint as stored; {} when there is none of that name.", 400);
            group.MapPut("/endpoints/{name}", UpdateAsync).Body<StoredEndpointRequest>()
                .Describe<StoredEndpointResponse>("Store the next revision", "Replaces the endpoint when the stored revision is endpoint.version - 1 (and, with a fence, when the fence's epoch still holds the lease), appending the audit event and the change-feed entry in the same transaction. Otherwise 409 with stored_endpoint.", 400, 404, 409);
            group.MapDelete("/endpoints/{name}", DeleteAsync).Body<StoredEndpointDeleteRequest>(optional: true)
                .Describe<StoredEndpointResponse>("Delete a stored endpoint", "Deletes it with its audit event and a change-feed entry of version 0.", 400, 404);
            group.MapGet("/changes", (Delegate)ChangesAsync)
                .Describe<ServingChangesResponse>("Read the change feed", "Changes after a sequence, oldest first, and the latest sequence.", 400)
                .Query("after", "The last sequence seen (0 for the start).", JsonSchemaType.Integer)
                .Query("max_results", "The most changes to answer, 1-1000 (default 1000).", JsonSchemaType.Integer);
            group.MapGet("/changes/wait", (Delegate)WaitAsync)
                .Describe<ServingChangesResponse>("Wait for a change", "Answers changed=true as soon as the feed has a change after the sequence, or changed=false when timeout_seconds (at most 30) runs out.", 400)
                .Query("after", "The last sequence seen.", JsonSchemaType.Integer)
                .Query("timeout_seconds", "How long to wait, at most 30 (default 30).", JsonSchemaType.Number);
            group.MapGet("/events", (Delegate)EventsAsync)
                .Describe<ServingEventsResponse>("Read the audit events", "Audit events, newest first, of one endpoint or all.", 400)
                .Query("endpoint", "Only this endpoint's events.")
                .Query("max_results", "The most events to answer.", JsonSchemaType.Integer);
            group.MapPost("/leases/acquire", (Delegate)AcquireAsync).Body<AcquireLeaseRequest>()
                .Describe<LeaseResponse>("Take or renew a lease", "Grants the lease when it is free or expired (a new epoch) or renews it for its holder (the same epoch); {} while another holder has it.", 400);
            group.MapPost("/leases/release", (Delegate)ReleaseAsync).Body<ReleaseLeaseRequest>()
                .Describe<LeaseResponse>("Give a lease up", "Frees the lease at once if the fence still holds it; otherwise nothing changes.", 400);
            group.MapPost("/stats", (Delegate)PublishAsync).Body<RouteStatsMessage>()
                .Describe<RouteStatsMessage>("Publish rollout figures", "Replaces this replica's rows (one per endpoint, rollout, step and route) with the ones sent.", 400);
            group.MapGet("/stats", (Delegate)ReadStatsAsync)
                .Describe<RouteStatsMessage>("Read rollout figures", "Every replica's rows for one rollout of an endpoint.", 400)
                .Query("endpoint", "The endpoint.", required: true)
                .Query("rollout_id", "The rollout.", required: true);
        }
    }

    private static ServingStoreService Service(HttpContext context) => context.RequestServices.GetRequiredService<ServingStoreService>();

    private static async Task ListAsync(HttpContext context)
    {
        var endpoints = await Service(context).ListAsync(context.Request.Query["environment"].ToString(), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StoredEndpointsResponse { Endpoints = [.. endpoints] }, ServingStoreJson.Default.StoredEndpointsResponse).ConfigureAwait(false);
    }

    private static async Task CreateAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, ServingStoreJson.Default.StoredEndpointRequest).ConfigureAwait(false);
        await Service(context).CreateAsync(r.Endpoint, r.Actor ?? Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StoredEndpointResponse { Endpoint = r.Endpoint }, ServingStoreJson.Default.StoredEndpointResponse).ConfigureAwait(false);
    }

    private static async Task FindAsync(HttpContext context, string name)
    {
        var endpoint = await Service(context).FindAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StoredEndpointResponse { Endpoint = endpoint }, ServingStoreJson.Default.StoredEndpointResponse).ConfigureAwait(false);
    }

    private static async Task UpdateAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, ServingStoreJson.Default.StoredEndpointRequest).ConfigureAwait(false);
        try
        {
            await Service(context).UpdateAsync(name, r.Endpoint, r.Action, r.Detail, r.Actor ?? Actor.From(context), r.Fence, context.RequestAborted).ConfigureAwait(false);
        }
        catch (EndpointConflictException e) when (!context.Response.HasStarted)
        {
            // The usual error body plus the stored record, so the caller's store rebuilds the conflict whole.
            await WireIO.WriteAsync(
                context,
                new StoredEndpointConflictResponse { ErrorCode = ErrorCodes.ToWire(e.Code), Message = e.Message, StoredEndpoint = e.Current, ExpectedVersion = e.ExpectedVersion },
                ServingStoreJson.Default.StoredEndpointConflictResponse,
                e.HttpStatus).ConfigureAwait(false);
            return;
        }

        await WireIO.WriteAsync(context, new StoredEndpointResponse { Endpoint = r.Endpoint }, ServingStoreJson.Default.StoredEndpointResponse).ConfigureAwait(false);
    }

    private static async Task DeleteAsync(HttpContext context, string name)
    {
        var r = context.Request.ContentLength is > 0
            ? await WireIO.ReadAsync(context, ServingStoreJson.Default.StoredEndpointDeleteRequest).ConfigureAwait(false)
            : new StoredEndpointDeleteRequest();
        await Service(context).DeleteAsync(name, r.Actor ?? Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StoredEndpointResponse(), ServingStoreJson.Default.StoredEndpointResponse).ConfigureAwait(false);
    }

    private static async Task ChangesAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var (changes, latest) = await Service(context).ChangesAsync(
            Integer(query["after"].ToString(), "after") ?? 0,
            (int?)Integer(query["max_results"].ToString(), "max_results"),
            context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new ServingChangesResponse { Changes = [.. changes], Latest = latest }, ServingStoreJson.Default.ServingChangesResponse).ConfigureAwait(false);
    }

    private static async Task WaitAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var service = Service(context);
        var changed = await service.WaitAsync(Integer(query["after"].ToString(), "after") ?? 0, Seconds(query["timeout_seconds"].ToString()), context.RequestAborted).ConfigureAwait(false);
        var latest = await service.LatestAsync(context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new ServingChangesResponse { Changed = changed, Latest = latest }, ServingStoreJson.Default.ServingChangesResponse).ConfigureAwait(false);
    }

    private static async Task EventsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var events = await Service(context).EventsAsync(query["endpoint"].ToString(), (int?)Integer(query["max_results"].ToString(), "max_results"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new ServingEventsResponse { Events = [.. events] }, ServingStoreJson.Default.ServingEventsResponse).ConfigureAwait(false);
    }

    private static async Task AcquireAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, ServingStoreJson.Default.AcquireLeaseRequest).ConfigureAwait(false);
        var lease = await Service(context).AcquireAsync(r.Name, r.Holder, r.DurationSeconds, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new LeaseResponse { Lease = lease }, ServingStoreJson.Default.LeaseResponse).ConfigureAwait(false);
    }

    private static async Task ReleaseAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, ServingStoreJson.Default.ReleaseLeaseRequest).ConfigureAwait(false);
        await Service(context).ReleaseAsync(r.Lease, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new LeaseResponse(), ServingStoreJson.Default.LeaseResponse).ConfigureAwait(false);
    }

    private static async Task PublishAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, ServingStoreJson.Default.RouteStatsMessage).ConfigureAwait(false);
        await Service(context).PublishAsync(r.Stats, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new RouteStatsMessage(), ServingStoreJson.Default.RouteStatsMessage).ConfigureAwait(false);
    }

    private static async Task ReadStatsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var rows = await Service(context).ReadStatsAsync(query["endpoint"].ToString(), query["rollout_id"].ToString(), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new RouteStatsMessage { Stats = [.. rows] }, ServingStoreJson.Default.RouteStatsMessage).ConfigureAwait(false);
    }

    private static long? Integer(string text, string field) =>
        text.Length == 0 ? null
        : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw KeelException.InvalidParameter($"Invalid value '{text}' for parameter '{field}': it must be an integer.");

    private static double? Seconds(string text) =>
        text.Length == 0 ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw KeelException.InvalidParameter($"Invalid value '{text}' for parameter 'timeout_seconds': it must be a number of seconds.");
}
