using Keel.Application;
using Endpoint = Keel.Core.Serving.Endpoint;
using Keel.Core.Serving;
using Keel.Core.Wire;
using Keel.Serving;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>Keel's serving API: endpoints, traffic splits and rollouts (/api/2.0/keel/endpoints).</summary>
internal static class ServingEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/endpoints", "/ajax-api/2.0/keel/endpoints" })
        {
            var group = app.MapGroup(prefix).WithTags("Serving endpoints").PathParameter("name", "The endpoint name.");
            // As a Delegate, not a RequestDelegate, so the endpoint carries the metadata OpenAPI is generated from.
            group.MapGet(string.Empty, (Delegate)ListAsync)
                .Describe<ListEndpointsResponse>("List endpoints", "Every endpoint, ordered by name, with the live figures of each route since the server started.", 400)
                .Query("environment", "dev, staging or prod; every environment when absent.");
            group.MapPost(string.Empty, (Delegate)CreateAsync).Body<CreateEndpointRequest>()
                .Describe<EndpointResponse>("Create an endpoint", "Loads the model (a failure creates nothing), then serves it alone (mode single). The model URI is resolved once and stored as a version.", 400, 404);
            group.MapGet("/{name}", GetAsync)
                .Describe<EndpointResponse>("Get an endpoint", "Routes and weights, live figures per version, the current rollout and the earlier ones.", 400, 404);
            group.MapDelete("/{name}", DeleteAsync)
                .Describe<EmptyResponse>("Delete an endpoint", "Stops serving at once; the audit events are kept.", 400, 404);
            group.MapGet("/{name}/events", EventsAsync)
                .Describe<ServingEventsResponse>("List an endpoint's audit events", $"Who changed what, newest first (at most {RequestLimits.MaxEvents}).", 400);
            group.MapPut("/{name}/traffic", TrafficAsync).Body<SetTrafficRequest>()
                .Describe<EndpointResponse>("Set a static traffic split", "single, canary or ab_test (a second version at a weight), shadow (copies, never answered), or blue_green (all at once, the other kept warm). Refused while a rollout runs.", 400, 404, 409);
            group.MapPost("/{name}/rollout", RolloutAsync).Body<StartRolloutRequest>()
                .Describe<EndpointResponse>("Start a progressive rollout", "Steps the challenger's share up (default 10, 50, 100 %) after each hold, comparing it with the champion; a breach of the policy rolls back with the reason, a clean run promotes.", 400, 404, 409);
            group.MapPost("/{name}/promote", (HttpContext c, string name) => ActionAsync(c, (s, r, a, v, ct) => s.PromoteAsync(name, r, null, a, ct, null, v))).Body<EndpointActionRequest>(optional: true)
                .Describe<EndpointResponse>("Promote the challenger", "Ends the running rollout: the challenger takes all traffic, the champion is kept warm for a rollback.", 400, 404, 409);
            group.MapPost("/{name}/abort", (HttpContext c, string name) => ActionAsync(c, (s, r, a, v, ct) => s.AbortAsync(name, r, a, ct, v))).Body<EndpointActionRequest>(optional: true)
                .Describe<EndpointResponse>("Abort the rollout", "Ends the running rollout: the champion takes all traffic.", 400, 404, 409);
            group.MapPost("/{name}/rollback", (HttpContext c, string name) => ActionAsync(c, (s, r, a, v, ct) => s.RollbackAsync(name, r, null, a, ct, null, v))).Body<EndpointActionRequest>(optional: true)
                .Describe<EndpointResponse>("Roll back", "Rolls back the running rollout, or switches back to the version kept warm after a promotion or a blue-green switch.", 400, 404, 409);
        }
    }

    private static ServingService Service(HttpContext context) => context.RequestServices.GetRequiredService<ServingService>();

    private static Task WriteAsync(HttpContext context, Endpoint endpoint) =>
        WireIO.WriteAsync(context, context.RequestServices.GetRequiredService<LiveStats>().Describe(endpoint), ServingJson.Default.EndpointResponse);

    private static async Task ListAsync(HttpContext context)
    {
        var env = context.Request.Query["environment"].ToString();
        var endpoints = await Service(context).ListAsync(env.Length == 0 ? null : env, context.RequestAborted).ConfigureAwait(false);
        var live = context.RequestServices.GetRequiredService<LiveStats>();
        await WireIO.WriteAsync(context, new ListEndpointsResponse { Endpoints = [.. endpoints.Select(live.Describe)] }, ServingJson.Default.ListEndpointsResponse).ConfigureAwait(false);
    }

    private static async Task CreateAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, ServingJson.Default.CreateEndpointRequest).ConfigureAwait(false);
        var endpoint = await Service(context).CreateAsync(r.Name, r.Environment, r.ModelUri, r.Policy, r.Limits, r.StickyKey, Actor.From(context), context.RequestAborted, r.SensitiveColumns, r.Features).ConfigureAwait(false);
        await WriteAsync(context, endpoint).ConfigureAwait(false);
    }

    private static async Task GetAsync(HttpContext context, string name) =>
        await WriteAsync(context, await Service(context).GetAsync(name, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);

    private static async Task DeleteAsync(HttpContext context, string name)
    {
        // No fields, but a body that is not one JSON value is refused, not ignored.
        if (context.Request.ContentLength is > 0)
        {
            await WireIO.ReadAsync(context, ServingJson.Default.EndpointActionRequest).ConfigureAwait(false);
        }

        await Service(context).DeleteAsync(name, Actor.From(context), context.RequestAborted).ConfigureAwait(false);
        // A new endpoint of the same name starts with no buckets or labels of the old one.
        await context.RequestServices.GetRequiredService<Keel.Application.Monitoring.MonitoringService>().ForgetEndpointAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteEmptyAsync(context).ConfigureAwait(false);
    }

    private static async Task EventsAsync(HttpContext context, string name)
    {
        var events = await Service(context).ListEventsAsync(name, RequestLimits.MaxEvents, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new ServingEventsResponse { Events = [.. events] }, ServingJson.Default.ServingEventsResponse).ConfigureAwait(false);
    }

    private static async Task TrafficAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, ServingJson.Default.SetTrafficRequest).ConfigureAwait(false);
        await ChangeAsync(context, () => Service(context).SetTrafficAsync(name, r.Mode, r.ModelUri, r.Weight, r.StickyKey, Actor.From(context), context.RequestAborted, r.ExpectedVersion)).ConfigureAwait(false);
    }

    private static async Task RolloutAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, ServingJson.Default.StartRolloutRequest).ConfigureAwait(false);
        await ChangeAsync(context, () => Service(context).StartRolloutAsync(name, r.ModelUri, r.Steps, r.HoldSeconds, r.HoldRequests, r.Policy, Actor.From(context), context.RequestAborted, r.ExpectedVersion)).ConfigureAwait(false);
    }

    private static async Task ActionAsync(HttpContext context, Func<ServingService, string?, string?, long?, CancellationToken, Task<Endpoint>> action)
    {
        var r = context.Request.ContentLength is > 0
            ? await WireIO.ReadAsync(context, ServingJson.Default.EndpointActionRequest).ConfigureAwait(false)
            : new EndpointActionRequest();
        await ChangeAsync(context, () => action(Service(context), r.Reason, Actor.From(context), r.ExpectedVersion, context.RequestAborted)).ConfigureAwait(false);
    }

    // A change made from a version that is no longer current: 409 with the endpoint as it is, so the
    // caller can look again and decide (the usual error body, plus "endpoint").
    private static async Task ChangeAsync(HttpContext context, Func<Task<Endpoint>> change)
    {
        Endpoint endpoint;
        try
        {
            endpoint = await change().ConfigureAwait(false);
        }
        catch (EndpointConflictException e) when (!context.Response.HasStarted)
        {
            var body = new EndpointConflictResponse
            {
                ErrorCode = Keel.Core.Errors.ErrorCodes.ToWire(e.Code),
                Message = e.Message,
                Endpoint = context.RequestServices.GetRequiredService<LiveStats>().Describe(e.Current),
            };
            await WireIO.WriteAsync(context, body, ServingJson.Default.EndpointConflictResponse, e.HttpStatus).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, endpoint).ConfigureAwait(false);
    }
}
