using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Server.Http;
using Microsoft.AspNetCore.Routing;

namespace Keel.Server.Governance;

/// <summary>
/// Authentication and authorization for every route, placed after routing so each request's route
/// (and so its <see cref="RoutePolicy"/>) is known. Answers as MLflow's basic-auth app does: 401
/// with <c>WWW-Authenticate: Basic realm="mlflow"</c> when not signed in, 403 "Permission denied"
/// when the policy refuses. After a request it does what MLflow does after one: the creator of an
/// experiment or registered model gets MANAGE; permissions follow a renamed model and go with a
/// deleted one; search answers are filtered to what the caller may read.
/// </summary>
internal static class AuthMiddleware
{
    internal const string UnauthenticatedMessage =
        "You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.";

    internal const string ForbiddenMessage = "Permission denied";

    private const string M = "/api/2.0/mlflow";

    public static IApplicationBuilder UseKeelAuth(this IApplicationBuilder app, AuthOptions options)
    {
        if (!options.Enabled)
        {
            return app;
        }

        return app.Use(async (context, next) =>
        {
            var services = context.RequestServices;
            var endpoint = context.GetEndpoint() as RouteEndpoint;
            var key = endpoint is null ? null : RoutePolicies.Key(context.Request.Method, endpoint.RoutePattern.RawText ?? string.Empty);
            // An unknown path needs a sign-in (then it is a 404); a route the table forgot is the admins' alone.
            var policy = endpoint is null ? RoutePolicy.Authenticated : RoutePolicies.Find(context.Request.Method, endpoint.RoutePattern.RawText ?? string.Empty) ?? RoutePolicy.Admin;
            if (policy is PublicPolicy || HttpMethods.IsOptions(context.Request.Method))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var cache = services.GetRequiredService<GovernanceCache>();
            await cache.RefreshAsync(context.RequestAborted).ConfigureAwait(false);
            var caller = await services.GetRequiredService<Authenticator>().AuthenticateAsync(context.Request.Headers.Authorization.ToString(), context.RequestAborted).ConfigureAwait(false);
            if (caller is null)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"mlflow\"";
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(UnauthenticatedMessage, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            caller.Attach(context);
            var checker = services.GetRequiredService<AccessChecker>();
            var args = new RequestArgs(context);
            if (!await checker.AllowsAsync(caller, policy, args, context.RequestAborted).ConfigureAwait(false))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(ForbiddenMessage, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            switch (key)
            {
                case "GET " + M + "/experiments/search" or "POST " + M + "/experiments/search" when !caller.IsAdmin:
                    await FilteredAsync(context, next, "experiments", "experiment_id", PermissionResource.Experiment, caller, checker).ConfigureAwait(false);
                    return;
                case "GET " + M + "/registered-models/search" when !caller.IsAdmin:
                    await FilteredAsync(context, next, "registered_models", "name", PermissionResource.RegisteredModel, caller, checker).ConfigureAwait(false);
                    return;
                case "GET " + M + "/model-versions/search" when !caller.IsAdmin:
                    await FilteredAsync(context, next, "model_versions", "name", PermissionResource.RegisteredModel, caller, checker).ConfigureAwait(false);
                    return;
                case "POST " + M + "/experiments/create":
                    await CreatedAsync(context, next, caller, PermissionResource.Experiment, body => body?["experiment_id"]?.GetValue<string>()).ConfigureAwait(false);
                    return;
                case "POST " + M + "/registered-models/create":
                    var name = await args.ValueAsync("name").ConfigureAwait(false);
                    await CreatedAsync(context, next, caller, PermissionResource.RegisteredModel, _ => name).ConfigureAwait(false);
                    return;
                case "POST " + M + "/registered-models/rename":
                    var (from, to) = (await args.ValueAsync("name").ConfigureAwait(false), await args.ValueAsync("new_name").ConfigureAwait(false));
                    await next(context).ConfigureAwait(false);
                    if (Succeeded(context) && from is not null && to is not null)
                    {
                        await services.GetRequiredService<IGovernanceStore>().RenameResourceAsync(PermissionResource.RegisteredModel, from, to, CancellationToken.None).ConfigureAwait(false);
                        cache.Invalidate();
                    }

                    return;
                case "DELETE " + M + "/registered-models/delete":
                    var deleted = await args.ValueAsync("name").ConfigureAwait(false);
                    await next(context).ConfigureAwait(false);
                    if (Succeeded(context) && deleted is not null)
                    {
                        await DropPermissionsAsync(services.GetRequiredService<IGovernanceStore>(), PermissionResource.RegisteredModel, deleted).ConfigureAwait(false);
                        cache.Invalidate();
                    }

                    return;
            }

            await next(context).ConfigureAwait(false);
            if (ChangesGovernance(context.Request) && Succeeded(context))
            {
                cache.Invalidate();
            }
        });
    }

    private static bool Succeeded(HttpContext context) => context.Response.StatusCode is >= 200 and < 300;

    // Users, tokens, permissions, groups, roles and environments: this server forgets what it remembered of them at once.
    private static bool ChangesGovernance(HttpRequest request) =>
        !HttpMethods.IsGet(request.Method) && request.Path.Value is { } path
        && (path.Contains("/users/", StringComparison.Ordinal) || path.Contains("/permissions/", StringComparison.Ordinal)
            || path.Contains("/keel/tokens", StringComparison.Ordinal) || path.Contains("/keel/groups", StringComparison.Ordinal)
            || path.Contains("/keel/roles", StringComparison.Ordinal) || path.Contains("/keel/environments", StringComparison.Ordinal));

    /// <summary>MLflow grants MANAGE to whoever created the experiment or model.</summary>
    private static async Task CreatedAsync(HttpContext context, RequestDelegate next, Caller caller, PermissionResource kind, Func<JsonNode?, string?> resourceOf)
    {
        var (status, body) = await CaptureAsync(context, next).ConfigureAwait(false);
        if (status is >= 200 and < 300 && body.Length > 0)
        {
            string? resource = null;
            try
            {
                resource = resourceOf(kind == PermissionResource.Experiment ? JsonNode.Parse(body) : null);
            }
            catch (JsonException)
            {
            }

            if (resource is not null)
            {
                var store = context.RequestServices.GetRequiredService<IGovernanceStore>();
                await GrantAsync(store, kind, resource, caller.Username).ConfigureAwait(false);
                context.RequestServices.GetRequiredService<GovernanceCache>().Invalidate();
            }
        }

        await WriteAsync(context, body).ConfigureAwait(false);
    }

    private static async Task GrantAsync(IGovernanceStore store, PermissionResource kind, string resource, string username)
    {
        try
        {
            await store.CreatePermissionAsync(kind, resource, username, PermissionLevel.Manage, CancellationToken.None).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceAlreadyExists)
        {
            // A row left from an earlier resource of the same name or id: the creator manages this one.
            await store.UpdatePermissionAsync(kind, resource, username, PermissionLevel.Manage, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task DropPermissionsAsync(IGovernanceStore store, PermissionResource kind, string resource)
    {
        foreach (var row in await store.ListPermissionsAsync(null, kind, resource, CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await store.DeletePermissionAsync(kind, resource, row.Username, CancellationToken.None).ConfigureAwait(false);
            }
            catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
            {
                // Another request removed it first.
            }
        }
    }

    /// <summary>
    /// Keeps only the items the caller may read. As in MLflow's app the page is filtered after the
    /// query; unlike it, the page is not refilled, so a page may hold fewer than max_results items
    /// while next_page_token still leads on.
    /// </summary>
    private static async Task FilteredAsync(HttpContext context, RequestDelegate next, string itemsField, string idField, PermissionResource kind, Caller caller, AccessChecker checker)
    {
        var (status, body) = await CaptureAsync(context, next).ConfigureAwait(false);
        if (status is >= 200 and < 300 && body.Length > 0 && JsonNode.Parse(body) is JsonObject root && root[itemsField] is JsonArray items)
        {
            var kept = new JsonArray();
            foreach (var item in items.ToList())
            {
                var id = item?[idField]?.GetValue<string>();
                items.Remove(item);
                if (id is not null && (await checker.LevelAsync(caller, kind, id, context.RequestAborted).ConfigureAwait(false)).CanRead())
                {
                    kept.Add(item);
                }
            }

            if (kept.Count == 0)
            {
                root.Remove(itemsField);
            }
            else
            {
                root[itemsField] = kept;
            }

            body = JsonSerializer.SerializeToUtf8Bytes(root);
        }

        await WriteAsync(context, body).ConfigureAwait(false);
    }

    private static async Task<(int Status, byte[] Body)> CaptureAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }

        return (context.Response.StatusCode, buffer.ToArray());
    }

    private static Task WriteAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
