using Keel.Application;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;
using W = Keel.Core.Wire.PipelineStoreWire;

namespace Keel.Server.Endpoints;

/// <summary>
/// Keel's pipeline-store API (/api/2.0/keel/pipelines/store): the pipeline store port over HTTP for
/// a <c>keel worker</c> or replica that reaches the control plane only by HTTP, one route per port
/// method. Thin: every argument is checked by <see cref="PipelineStoreService"/>. Times are Unix
/// milliseconds. Users work with pipelines through the pipelines API instead.
/// </summary>
internal static class PipelineStoreEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/pipelines/store", "/ajax-api/2.0/keel/pipelines/store" })
        {
            var group = app.MapGroup(prefix).WithTags("Pipeline store")
                .PathParameter("name", "The pipeline's name.")
                .PathParameter("id", "The pipeline run's id.")
                .PathParameter("step", "The step's name.")
                .PathParameter("trigger", "The trigger's name.");
            group.MapPut("/pipelines/{name}", PutPipelineAsync).Body<PutPipelineRequest>()
                .Describe<PutPipelineResponse>("Apply a definition", "Creates the pipeline at version 1, adds a version when the hash differs from the latest, or changes nothing when it is the same. With expected_version, the latest version must be that (0: the pipeline must not exist), else 409.", 400, 409);
            group.MapGet("/pipelines/{name}", GetPipelineAsync)
                .Describe<StorePipelineResponse>("Read a pipeline", "The pipeline at its latest version, or at the version asked for; {} when there is none.", 400)
                .Query("version", "A version; absent for the latest.", JsonSchemaType.Integer);
            group.MapGet("/pipelines", (Delegate)ListPipelinesAsync)
                .Describe<StorePipelinesResponse>("List pipelines", "Every pipeline at its latest version, by name.");
            group.MapPost("/runs", (Delegate)CreateRunAsync).Body<CreatePipelineRunRequest>()
                .Describe<CreatePipelineRunResponse>("Create a run", "Creates a queued run with its steps queued, unless the idempotency key was used before or a queued or running run of the pipeline has the same dedupe key: then that run is answered with created false. A stale fence is 409.", 400, 404, 409);
            group.MapGet("/runs", (Delegate)ListRunsAsync)
                .Describe<StorePipelineRunsResponse>("List runs", "Runs newest first.", 400)
                .Query("pipeline", "Only this pipeline's runs.")
                .Query("states", "Only runs in these states (repeated, or comma-separated).")
                .Query("before_id", "Only runs with a smaller id (paging).", JsonSchemaType.Integer)
                .Query("max_results", "At most this many, 1-10000 (default 1000).", JsonSchemaType.Integer);
            group.MapGet("/runs/{id}", GetRunAsync)
                .Describe<StorePipelineRunResponse>("Read a run", "The run; {} when there is none of that id.", 400);
            group.MapPost("/runs/{id}/start", StartRunAsync).Body<StoreStartPipelineRunRequest>()
                .Describe<StorePipelineRunResponse>("Start a queued run", "Moves the queued run to running when fewer than limit runs of its pipeline are running; otherwise leaves it queued. Answers the run as it is after the call.", 400, 404);
            group.MapPost("/runs/{id}/finish", FinishRunAsync).Body<FinishPipelineRunRequest>()
                .Describe<StorePipelineRunResponse>("End a run", "Ends the run as succeeded, failed or cancelled, and its unfinished steps with it (queued ones skipped, or cancelled when the run was; running ones cancelled). 409 when its state forbids the move.", 400, 404, 409);
            group.MapGet("/runs/{id}/steps", GetStepsAsync)
                .Describe<StepRunsResponse>("List a run's steps", "The run's steps in definition order.", 400);
            group.MapPost("/runs/{id}/steps/{step}", UpdateStepAsync).Body<UpdateStepRequest>()
                .Describe<StepRunResponse>("Change a step", "Applies the change if the step is still in from at expected_attempt and the transition table allows from to to; absent fields keep their value. 409 names the step's current state and attempt.", 400, 404, 409);
            group.MapPost("/runs/{id}/steps/{step}/log", AppendLogAsync).Body<AppendStepLogRequest>()
                .Describe<PipelineStoreEmpty>("Append to a step's log", "Appends lines (at most 10000) to the step's log, in order.", 400, 404);
            group.MapGet("/runs/{id}/log", ListLogAsync)
                .Describe<StepLogResponse>("Read a run's log", "The run's log lines in order, of one step or all, after a position.", 400)
                .Query("step", "Only this step's lines.")
                .Query("after_seq", "Only lines after this position (default 0).", JsonSchemaType.Integer)
                .Query("max_results", "At most this many, 1-10000 (default 1000).", JsonSchemaType.Integer);
            group.MapGet("/cache", (Delegate)FindCacheAsync)
                .Describe<StepCacheResponse>("Look up the step cache", "The entry stored under the key; {} on a miss.", 400)
                .Query("key", "The cache key.", required: true);
            group.MapPost("/cache", (Delegate)PutCacheAsync).Body<StepCacheEntryMessage>()
                .Describe<StepCacheResponse>("Store a cache entry", "Stores the entry; when its key is already stored, the first entry stays and is answered.", 400);
            group.MapGet("/events", (Delegate)ListEventsAsync)
                .Describe<StorePipelineEventsResponse>("Read the event feed", "Run and step changes after a position, oldest first.", 400)
                .Query("after_seq", "Only events after this position (default 0).", JsonSchemaType.Integer)
                .Query("run_id", "Only this run's events.", JsonSchemaType.Integer)
                .Query("max_results", "At most this many, 1-10000 (default 1000).", JsonSchemaType.Integer);
            group.MapGet("/pipelines/{name}/triggers", GetTriggerStatesAsync)
                .Describe<TriggerStatesResponse>("Read trigger state", "The scheduler's state of every trigger of the pipeline, by trigger name.", 400);
            group.MapPut("/pipelines/{name}/triggers/{trigger}", SaveTriggerStateAsync).Body<SaveTriggerStateRequest>()
                .Describe<PipelineStoreEmpty>("Save trigger state", "Inserts or replaces the trigger's state, if the fence (when given) is still current; a stale fence is 409 and saves nothing.", 400, 409);
        }
    }

    private static PipelineStoreService Service(HttpContext context) => context.RequestServices.GetRequiredService<PipelineStoreService>();

    private static Task WriteRunAsync(HttpContext context, Core.Pipelines.PipelineRun? run) =>
        WireIO.WriteAsync(context, new StorePipelineRunResponse { Run = run is null ? null : W.ToMessage(run) }, PipelineStoreJson.Default.StorePipelineRunResponse);

    private static async Task PutPipelineAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, PipelineStoreJson.Default.PutPipelineRequest).ConfigureAwait(false);
        var (pipeline, changed) = await Service(context).PutPipelineAsync(name, r, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new PutPipelineResponse { Pipeline = W.ToMessage(pipeline), Changed = changed }, PipelineStoreJson.Default.PutPipelineResponse).ConfigureAwait(false);
    }

    private static async Task GetPipelineAsync(HttpContext context, string name)
    {
        var pipeline = await Service(context).GetPipelineAsync(name, QueryArgs.Long(context, "version"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StorePipelineResponse { Pipeline = pipeline is null ? null : W.ToMessage(pipeline) }, PipelineStoreJson.Default.StorePipelineResponse).ConfigureAwait(false);
    }

    private static async Task ListPipelinesAsync(HttpContext context)
    {
        var pipelines = await Service(context).ListPipelinesAsync(context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StorePipelinesResponse { Pipelines = [.. pipelines.Select(W.ToMessage)] }, PipelineStoreJson.Default.StorePipelinesResponse).ConfigureAwait(false);
    }

    private static async Task CreateRunAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, PipelineStoreJson.Default.CreatePipelineRunRequest).ConfigureAwait(false);
        var created = await Service(context).CreateRunAsync(r, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new CreatePipelineRunResponse { Run = W.ToMessage(created.Run), Created = created.Created }, PipelineStoreJson.Default.CreatePipelineRunResponse).ConfigureAwait(false);
    }

    private static async Task ListRunsAsync(HttpContext context)
    {
        var runs = await Service(context).ListRunsAsync(
            QueryArgs.String(context, "pipeline"), QueryArgs.List(context, "states"), QueryArgs.Long(context, "before_id"), QueryArgs.Long(context, "max_results"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StorePipelineRunsResponse { Runs = [.. runs.Select(W.ToMessage)] }, PipelineStoreJson.Default.StorePipelineRunsResponse).ConfigureAwait(false);
    }

    private static async Task GetRunAsync(HttpContext context, string id) =>
        await WriteRunAsync(context, await Service(context).GetRunAsync(id, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);

    private static async Task StartRunAsync(HttpContext context, string id)
    {
        var r = await WireIO.ReadAsync(context, PipelineStoreJson.Default.StoreStartPipelineRunRequest).ConfigureAwait(false);
        await WriteRunAsync(context, await Service(context).TryStartRunAsync(id, r, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static async Task FinishRunAsync(HttpContext context, string id)
    {
        var r = await WireIO.ReadAsync(context, PipelineStoreJson.Default.FinishPipelineRunRequest).ConfigureAwait(false);
        await WriteRunAsync(context, await Service(context).FinishRunAsync(id, r, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static async Task GetStepsAsync(HttpContext context, string id)
    {
        var steps = await Service(context).GetStepsAsync(id, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StepRunsResponse { Steps = [.. steps.Select(W.ToMessage)] }, PipelineStoreJson.Default.StepRunsResponse).ConfigureAwait(false);
    }

    private static async Task UpdateStepAsync(HttpContext context, string id, string step)
    {
        var r = await WireIO.ReadAsync(context, PipelineStoreJson.Default.UpdateStepRequest).ConfigureAwait(false);
        var updated = await Service(context).UpdateStepAsync(id, step, r, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StepRunResponse { Step = W.ToMessage(updated) }, PipelineStoreJson.Default.StepRunResponse).ConfigureAwait(false);
    }

    private static async Task AppendLogAsync(HttpContext context, string id, string step)
    {
        var r = await WireIO.ReadAsync(context, PipelineStoreJson.Default.AppendStepLogRequest).ConfigureAwait(false);
        await Service(context).AppendLogAsync(id, step, r, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new PipelineStoreEmpty(), PipelineStoreJson.Default.PipelineStoreEmpty).ConfigureAwait(false);
    }

    private static async Task ListLogAsync(HttpContext context, string id)
    {
        var lines = await Service(context).ListLogAsync(
            id, QueryArgs.String(context, "step"), QueryArgs.Long(context, "after_seq"), QueryArgs.Long(context, "max_results"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StepLogResponse { Lines = [.. lines.Select(W.ToMessage)] }, PipelineStoreJson.Default.StepLogResponse).ConfigureAwait(false);
    }

    private static async Task FindCacheAsync(HttpContext context)
    {
        var entry = await Service(context).FindCacheAsync(QueryArgs.String(context, "key"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StepCacheResponse { Entry = entry is null ? null : W.ToMessage(entry) }, PipelineStoreJson.Default.StepCacheResponse).ConfigureAwait(false);
    }

    private static async Task PutCacheAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, PipelineStoreJson.Default.StepCacheEntryMessage).ConfigureAwait(false);
        var entry = await Service(context).PutCacheAsync(r, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StepCacheResponse { Entry = W.ToMessage(entry) }, PipelineStoreJson.Default.StepCacheResponse).ConfigureAwait(false);
    }

    private static async Task ListEventsAsync(HttpContext context)
    {
        var events = await Service(context).ListEventsAsync(
            QueryArgs.Long(context, "after_seq"), QueryArgs.Long(context, "run_id"), QueryArgs.Long(context, "max_results"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StorePipelineEventsResponse { Events = [.. events.Select(W.ToMessage)] }, PipelineStoreJson.Default.StorePipelineEventsResponse).ConfigureAwait(false);
    }

    private static async Task GetTriggerStatesAsync(HttpContext context, string name)
    {
        var states = await Service(context).GetTriggerStatesAsync(name, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new TriggerStatesResponse { Triggers = [.. states.Select(W.ToMessage)] }, PipelineStoreJson.Default.TriggerStatesResponse).ConfigureAwait(false);
    }

    private static async Task SaveTriggerStateAsync(HttpContext context, string name, string trigger)
    {
        var r = await WireIO.ReadAsync(context, PipelineStoreJson.Default.SaveTriggerStateRequest).ConfigureAwait(false);
        await Service(context).SaveTriggerStateAsync(name, trigger, r, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new PipelineStoreEmpty(), PipelineStoreJson.Default.PipelineStoreEmpty).ConfigureAwait(false);
    }
}
