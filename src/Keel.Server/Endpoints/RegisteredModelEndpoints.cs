using Keel.Application;
using Keel.Core.Wire;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>Registered-model RPCs of MLflow's model registry, aliases included.</summary>
internal static class RegisteredModelEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in RoutePrefixes.Tracking)
        {
            var group = app.MapGroup(prefix + "/registered-models");
            group.MapPost("/create", CreateAsync);
            group.MapGet("/get", GetAsync);
            group.MapPost("/rename", RenameAsync);
            group.MapPatch("/update", UpdateAsync);
            group.MapDelete("/delete", DeleteAsync);
            group.MapGet("/search", SearchAsync);
            group.MapPost("/get-latest-versions", LatestPostAsync);
            group.MapGet("/get-latest-versions", LatestGetAsync);
            group.MapPost("/set-tag", SetTagAsync);
            group.MapDelete("/delete-tag", DeleteTagAsync);
            group.MapPost("/alias", SetAliasAsync);
            group.MapDelete("/alias", DeleteAliasAsync);
            group.MapGet("/alias", GetByAliasAsync);
        }

        foreach (var prefix in new[] { "/api/2.0/keel/registry", "/ajax-api/2.0/keel/registry" })
        {
            app.MapGet(prefix + "/events", (Delegate)EventsAsync).WithTags("Registry")
                .Describe<RegistryEventsResponse>("List registry audit events", "Who changed what in the model registry, before and after (JSON snapshots), newest first.", 400)
                .Query("name", "A registered model's name at the time of the change; every model when absent.")
                .Query("max_results", $"The most events to return, 1 to {RequestLimits.MaxEvents} (default {RequestLimits.DefaultEvents}).", Microsoft.OpenApi.JsonSchemaType.Integer);
        }
    }

    private static RegistryService Service(HttpContext context) => context.RequestServices.GetRequiredService<RegistryService>();

    private static Task WriteModelAsync(HttpContext context, Core.Registry.RegisteredModel model) =>
        WireIO.WriteAsync(context, new RegisteredModelResponse { RegisteredModel = model.ToDto() }, WireJson.Default.RegisteredModelResponse);

    private static async Task CreateAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.CreateRegisteredModelRequest);
        var model = await Service(context).CreateRegisteredModelAsync(request.Name, request.Tags?.ConvertAll(t => t.ToTag()), request.Description, Actor.From(context), context.RequestAborted);
        await WriteModelAsync(context, model);
    }

    private static async Task GetAsync(HttpContext context) =>
        await WriteModelAsync(context, await Service(context).GetRegisteredModelAsync(QueryArgs.String(context, "name"), context.RequestAborted));

    private static async Task RenameAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.RenameRegisteredModelRequest);
        await WriteModelAsync(context, await Service(context).RenameRegisteredModelAsync(request.Name, request.NewName, Actor.From(context), context.RequestAborted));
    }

    private static async Task UpdateAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.RegisteredModelNameRequest);
        await WriteModelAsync(context, await Service(context).UpdateRegisteredModelAsync(request.Name, request.Description, Actor.From(context), context.RequestAborted));
    }

    private static async Task DeleteAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.RegisteredModelNameRequest);
        await Service(context).DeleteRegisteredModelAsync(request.Name, Actor.From(context), context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task SearchAsync(HttpContext context)
    {
        var page = await Service(context).SearchRegisteredModelsAsync(
            QueryArgs.String(context, "filter"),
            QueryArgs.List(context, "order_by"),
            QueryArgs.Long(context, "max_results"),
            QueryArgs.String(context, "page_token"),
            context.RequestAborted);
        var response = new SearchRegisteredModelsResponse
        {
            RegisteredModels = page.Items.Count == 0 ? null : page.Items.Select(m => m.ToDto()).ToList(),
            NextPageToken = page.NextPageToken,
        };
        await WireIO.WriteAsync(context, response, WireJson.Default.SearchRegisteredModelsResponse);
    }

    private static async Task LatestPostAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.GetLatestVersionsRequest);
        await LatestAsync(context, request);
    }

    private static Task LatestGetAsync(HttpContext context) =>
        LatestAsync(context, new GetLatestVersionsRequest { Name = QueryArgs.String(context, "name"), Stages = QueryArgs.List(context, "stages") });

    private static async Task LatestAsync(HttpContext context, GetLatestVersionsRequest request)
    {
        var versions = await Service(context).GetLatestVersionsAsync(request.Name, request.Stages, context.RequestAborted);
        // MLflow leaves aliases off the versions in this answer.
        var response = new ModelVersionsResponse { ModelVersions = versions.Count == 0 ? null : versions.Select(v => v.ToDto(withAliases: false)).ToList() };
        await WireIO.WriteAsync(context, response, WireJson.Default.ModelVersionsResponse);
    }

    private static async Task SetTagAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.RegisteredModelTagRequest);
        await Service(context).SetRegisteredModelTagAsync(request.Name, request.Key, request.Value, Actor.From(context), context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task DeleteTagAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.RegisteredModelTagRequest);
        await Service(context).DeleteRegisteredModelTagAsync(request.Name, request.Key, Actor.From(context), context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task SetAliasAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.AliasRequest);
        await Service(context).SetAliasAsync(request.Name, request.Alias, request.Version, Actor.From(context), context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task DeleteAliasAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.AliasRequest);
        await Service(context).DeleteAliasAsync(request.Name, request.Alias, Actor.From(context), context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task GetByAliasAsync(HttpContext context)
    {
        var version = await Service(context).GetModelVersionByAliasAsync(QueryArgs.String(context, "name"), QueryArgs.String(context, "alias"), context.RequestAborted);
        await WireIO.WriteAsync(context, new ModelVersionResponse { ModelVersion = version.ToDto() }, WireJson.Default.ModelVersionResponse);
    }

    private static async Task EventsAsync(HttpContext context)
    {
        var events = await Service(context).ListEventsAsync(QueryArgs.String(context, "name"), QueryArgs.Long(context, "max_results"), context.RequestAborted);
        var response = new RegistryEventsResponse { Events = events.Count == 0 ? null : events.Select(e => e.ToDto()).ToList() };
        await WireIO.WriteAsync(context, response, WireJson.Default.RegistryEventsResponse);
    }
}
