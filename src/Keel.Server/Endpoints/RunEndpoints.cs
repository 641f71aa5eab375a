using Keel.Application;
using Keel.Application.Promptlab;
using Keel.Core.Tracking;
using Keel.Core.Wire;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>Run RPCs of MLflow's tracking service: lifecycle, logging and search.</summary>
internal static class RunEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in RoutePrefixes.Tracking)
        {
            var group = app.MapGroup(prefix + "/runs");
            group.MapPost("/create", CreateAsync);
            group.MapPost("/update", UpdateAsync);
            group.MapPost("/delete", DeleteAsync);
            group.MapPost("/restore", RestoreAsync);
            group.MapGet("/get", GetAsync);
            group.MapPost("/search", SearchAsync);
            group.MapPost("/log-metric", LogMetricAsync);
            group.MapPost("/log-parameter", LogParamAsync);
            group.MapPost("/set-tag", SetTagAsync);
            group.MapPost("/delete-tag", DeleteTagAsync);
            group.MapPost("/log-batch", LogBatchAsync);
            group.MapPost("/log-model", LogModelAsync);
            group.MapPost("/log-inputs", LogInputsAsync);
            group.MapPost("/create-promptlab-run", CreatePromptlabRunAsync);
        }
    }

    private static TrackingService Service(HttpContext context) => context.RequestServices.GetRequiredService<TrackingService>();

    private static async Task CreateAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.CreateRunRequest, WireSchemas.CreateRun);
        var run = await Service(context).CreateRunAsync(
            request.ExperimentId, request.UserId, request.RunName, request.StartTime, request.Tags?.ConvertAll(t => t.ToTag()), context.RequestAborted);

        // MLflow's create answer has no "inputs" member, unlike get and search.
        await WireIO.WriteAsync(context, new RunResponse { Run = run.ToDto(withInputs: false) }, WireJson.Default.RunResponse);
    }

    private static async Task UpdateAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.UpdateRunRequest, WireSchemas.UpdateRun);
        var info = await Service(context).UpdateRunAsync(
            request.RunId ?? request.RunUuid, request.Status, request.EndTime, request.RunName, context.RequestAborted);
        await WireIO.WriteAsync(context, new UpdateRunResponse { RunInfo = info.ToDto() }, WireJson.Default.UpdateRunResponse);
    }

    private static async Task DeleteAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.RunIdRequest, WireSchemas.RunId);
        await Service(context).DeleteRunAsync(request.RunId ?? request.RunUuid, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task RestoreAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.RunIdRequest, WireSchemas.RunId);
        await Service(context).RestoreRunAsync(request.RunId ?? request.RunUuid, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task GetAsync(HttpContext context)
    {
        var runId = QueryArgs.String(context, "run_id") ?? QueryArgs.String(context, "run_uuid");
        var run = await Service(context).GetRunAsync(runId, context.RequestAborted);
        await WireIO.WriteAsync(context, new RunResponse { Run = run.ToDto(withInputs: true) }, WireJson.Default.RunResponse);
    }

    private static async Task SearchAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.SearchRunsRequest, WireSchemas.SearchRuns);
        var page = await Service(context).SearchRunsAsync(
            request.ExperimentIds,
            request.Filter,
            WireEnums.ParseViewType(request.RunViewType, "run_view_type"),
            request.MaxResults,
            request.OrderBy,
            request.PageToken,
            context.RequestAborted);
        List<RunDto>? runs = null;
        if (page.Items.Count > 0)
        {
            runs = new List<RunDto>(page.Items.Count);
            foreach (var run in page.Items)
            {
                runs.Add(run.ToDto(withInputs: true));
            }
        }

        await WireIO.WriteAsync(context, new SearchRunsResponse { Runs = runs, NextPageToken = page.NextPageToken }, WireJson.Default.SearchRunsResponse);
    }

    private static async Task LogMetricAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.LogMetricRequest, WireSchemas.LogMetric);
        await Service(context).LogMetricAsync(
            request.RunId ?? request.RunUuid, request.Key, request.Value, request.Timestamp, request.Step, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task LogParamAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.RunKeyValueRequest, WireSchemas.RunKeyValue);
        await Service(context).LogParamAsync(request.RunId ?? request.RunUuid, request.Key, request.Value, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task SetTagAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.RunKeyValueRequest, WireSchemas.RunKeyValue);
        await Service(context).SetTagAsync(request.RunId ?? request.RunUuid, request.Key, request.Value, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task DeleteTagAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.RunKeyValueRequest, WireSchemas.DeleteTag);
        await Service(context).DeleteTagAsync(request.RunId ?? request.RunUuid, request.Key, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task LogBatchAsync(HttpContext context)
    {
        var batch = await WireIO.ReadBodyAsync(context, LogBatchReader.Read, WireIO.MaxBatchBodyBytes);
        await Service(context).LogBatchAsync(batch.RunId, batch.Metrics, batch.Params, batch.Tags, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task LogModelAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.LogModelRequest, WireSchemas.LogModel);
        await Service(context).LogModelAsync(request.RunId, request.ModelJson, context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task LogInputsAsync(HttpContext context)
    {
        var request = await WireIO.ReadAsync(context, WireJson.Default.LogInputsRequest, WireSchemas.LogInputs);
        await Service(context).LogInputsAsync(request.RunId, request.Datasets?.ConvertAll(d => d.ToDomain()), context.RequestAborted);
        await WireIO.WriteEmptyAsync(context);
    }

    private static async Task CreatePromptlabRunAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, WireJson.Default.CreatePromptlabRunRequest);
        var run = await context.RequestServices.GetRequiredService<PromptlabService>().CreateRunAsync(
            new PromptlabRunRequest
            {
                ExperimentId = r.ExperimentId,
                RunName = r.RunName,
                Tags = r.Tags?.ConvertAll(t => t.ToTag()) ?? [],
                PromptTemplate = r.PromptTemplate,
                PromptParameters = r.PromptParameters?.ConvertAll(ToParam),
                ModelRoute = r.ModelRoute,
                ModelParameters = r.ModelParameters?.ConvertAll(ToParam) ?? [],
                ModelInput = r.ModelInput,
                ModelOutput = r.ModelOutput,
                ModelOutputParameters = r.ModelOutputParameters?.ConvertAll(ToParam) ?? [],
                MlflowVersion = r.MlflowVersion,
                UserId = r.UserId,
                StartTime = r.StartTime,
            },
            context.RequestAborted);
        await WireIO.WriteAsync(context, new RunResponse { Run = run.ToDto(withInputs: true) }, WireJson.Default.RunResponse);
    }

    private static Param ToParam(KeyValueDto p) => new(p.Key ?? string.Empty, p.Value ?? string.Empty);
}
