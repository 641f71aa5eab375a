using Keel.Application;
using Keel.Core.Registry;
using Keel.Core.Wire;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>Model-version RPCs of MLflow's model registry.</summary>
internal static class ModelVersionEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in RoutePrefixes.Tracking)
        {
            var group = app.MapGroup(prefix + "/model-versions");
            group.MapPost("/create", CreateAsync);
            group.MapGet("/get", GetAsync);
            group.MapPatch("/update", UpdateAsync);
            group.MapDelete("/delete", DeleteAsync);
            group.MapGet("/search", SearchAsync);
            group.MapPost("/transition-stage", TransitionAsync);
            group.MapGet("/get-download-uri", DownloadUriAsync);
            group.MapPost("/set-tag", SetTagAsync);
            group.MapDelete("/delete-tag", DeleteTagAsync);
        }
    }

    private static RegistryService Service(HttpContext context) => context.RequestServices.GetRequiredService<RegistryService>();

    private static Task WriteVersionAsync(HttpContext context, ModelVersion version) =>
        WireIO.WriteAsync(context, new ModelVersionResponse { ModelVersion = version.ToDto() }, WireJson.Default.ModelVersionResponse);

    private static async Task CreateAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.CreateModelVersionRequest);
        // Registration is synchronous, so the version is READY at once and clients need not poll.
        var version = await Service(context).CreateModelVersionAsync(
            request.Name, request.Source, request.RunId, request.Tags?.ConvertAll(t => t.ToTag()), request.RunLink, request.Description, Actor.From(context), context.RequestAborted);
        await WriteVersionAsync(context, version);
    }

    private static async Task GetAsync(HttpContext context) =>
        await WriteVersionAsync(context, await Service(context).GetModelVersionAsync(QueryArgs.String(context, "name"), QueryArgs.String(context, "version"), context.RequestAborted));

    private static async Task UpdateAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.ModelVersionRequest);
        await WriteVersionAsync(context, await Service(context).UpdateModelVersionAsync(request.Name, request.Version, request.Description, Actor.From(context), context.RequestAborted));
    }

    private static async Task DeleteAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.ModelVersionRequest);
        await Service(context).DeleteModelVersionAsync(request.Name, request.Version, Actor.From(context), context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task SearchAsync(HttpContext context)
    {
        var page = await Service(context).SearchModelVersionsAsync(
            QueryArgs.String(context, "filter"),
            QueryArgs.List(context, "order_by"),
            QueryArgs.Long(context, "max_results"),
            QueryArgs.String(context, "page_token"),
            context.RequestAborted);
        // MLflow leaves aliases off searched versions.
        var response = new ModelVersionsResponse
        {
            ModelVersions = page.Items.Count == 0 ? null : page.Items.Select(v => v.ToDto(withAliases: false)).ToList(),
            NextPageToken = page.NextPageToken,
        };
        await WireIO.WriteAsync(context, response, WireJson.Default.ModelVersionsResponse);
    }

    private static async Task TransitionAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.TransitionModelVersionStageRequest);
        var version = await Service(context).TransitionStageAsync(request.Name, request.Version, request.Stage, request.ArchiveExistingVersions, Actor.From(context), context.RequestAborted);
        await WriteVersionAsync(context, version);
    }

    private static async Task DownloadUriAsync(HttpContext context)
    {
        var uri = await Service(context).GetDownloadUriAsync(QueryArgs.String(context, "name"), QueryArgs.String(context, "version"), context.RequestAborted);
        await WireIO.WriteAsync(context, new GetModelVersionDownloadUriResponse { ArtifactUri = uri }, WireJson.Default.GetModelVersionDownloadUriResponse);
    }

    private static async Task SetTagAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.ModelVersionTagRequest);
        await Service(context).SetModelVersionTagAsync(request.Name, request.Version, request.Key, request.Value, Actor.From(context), context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task DeleteTagAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.ModelVersionTagRequest);
        await Service(context).DeleteModelVersionTagAsync(request.Name, request.Version, request.Key, Actor.From(context), context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }
}
