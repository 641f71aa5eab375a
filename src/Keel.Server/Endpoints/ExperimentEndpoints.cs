using Keel.Application;
using Keel.Core.Tracking;
using Keel.Core.Wire;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>Experiment RPCs of MLflow's tracking service.</summary>
internal static class ExperimentEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in RoutePrefixes.Tracking)
        {
            var group = app.MapGroup(prefix + "/experiments");
            group.MapPost("/create", CreateAsync);
            group.MapGet("/get", GetAsync);
            group.MapGet("/get-by-name", GetByNameAsync);
            group.MapPost("/search", SearchPostAsync);
            group.MapGet("/search", SearchGetAsync);
            group.MapPost("/delete", DeleteAsync);
            group.MapPost("/restore", RestoreAsync);
            group.MapPost("/update", UpdateAsync);
            group.MapPost("/set-experiment-tag", SetTagAsync);
            group.MapPost("/search-datasets", SearchDatasetsAsync);
        }
    }

    private static TrackingService Service(HttpContext context) => context.RequestServices.GetRequiredService<TrackingService>();

    private static async Task CreateAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.CreateExperimentRequest, WireSchemas.CreateExperiment);
        var tags = request.Tags?.ConvertAll(t => t.ToTag());
        var id = await Service(context).CreateExperimentAsync(request.Name, request.ArtifactLocation, tags, context.RequestAborted);
        await WireIO.WriteAsync(context, new CreateExperimentResponse { ExperimentId = id }, WireJson.Default.CreateExperimentResponse);
    }

    private static async Task GetAsync(HttpContext context)
    {
        var experiment = await Service(context).GetExperimentAsync(QueryArgs.String(context, "experiment_id"), context.RequestAborted);
        await WireIO.WriteAsync(context, new GetExperimentResponse { Experiment = experiment.ToDto() }, WireJson.Default.GetExperimentResponse);
    }

    private static async Task GetByNameAsync(HttpContext context)
    {
        var experiment = await Service(context).GetExperimentByNameAsync(QueryArgs.String(context, "experiment_name"), context.RequestAborted);
        await WireIO.WriteAsync(context, new GetExperimentResponse { Experiment = experiment.ToDto() }, WireJson.Default.GetExperimentResponse);
    }

    private static async Task SearchPostAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.SearchExperimentsRequest, WireSchemas.SearchExperiments);
        await SearchAsync(context, request);
    }

    private static Task SearchGetAsync(HttpContext context) => SearchAsync(context, new SearchExperimentsRequest
    {
        MaxResults = QueryArgs.Long(context, "max_results"),
        PageToken = QueryArgs.String(context, "page_token"),
        Filter = QueryArgs.String(context, "filter"),
        OrderBy = QueryArgs.List(context, "order_by"),
        ViewType = QueryArgs.String(context, "view_type"),
    });

    private static async Task SearchAsync(HttpContext context, SearchExperimentsRequest request)
    {
        var page = await Service(context).SearchExperimentsAsync(
            request.Filter,
            request.OrderBy,
            WireEnums.ParseViewType(request.ViewType, "view_type"),
            request.MaxResults,
            request.PageToken,
            context.RequestAborted);
        var response = new SearchExperimentsResponse
        {
            Experiments = page.Items.Count == 0 ? null : page.Items.Select(e => e.ToDto()).ToList(),
            NextPageToken = page.NextPageToken,
        };
        await WireIO.WriteAsync(context, response, WireJson.Default.SearchExperimentsResponse);
    }

    private static async Task DeleteAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.ExperimentIdRequest, WireSchemas.ExperimentId);
        await Service(context).DeleteExperimentAsync(request.ExperimentId, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task RestoreAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.ExperimentIdRequest, WireSchemas.ExperimentId);
        await Service(context).RestoreExperimentAsync(request.ExperimentId, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task UpdateAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.UpdateExperimentRequest, WireSchemas.UpdateExperiment);
        await Service(context).RenameExperimentAsync(request.ExperimentId, request.NewName, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task SetTagAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.SetExperimentTagRequest, WireSchemas.SetExperimentTag);
        await Service(context).SetExperimentTagAsync(request.ExperimentId, request.Key, request.Value, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task SearchDatasetsAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.SearchDatasetsRequest);
        var summaries = await Service(context).SearchDatasetsAsync(request.ExperimentIds, context.RequestAborted);

        // Unlike the protobuf RPCs, MLflow answers this UI route with the list even when empty.
        var response = new SearchDatasetsResponse { DatasetSummaries = summaries.Select(s => s.ToDto()).ToList() };
        await WireIO.WriteAsync(context, response, WireJson.Default.SearchDatasetsResponse);
    }
}
