using System.Globalization;
using Keel.Application.Pipelines;
using Keel.Core.Errors;
using Keel.Core.Wire;
using Keel.Server.Http;
using Microsoft.OpenApi;

namespace Keel.Server.Endpoints;

/// <summary>
/// Keel's pipelines API (/api/2.0/keel/pipelines): apply definitions, start, plan, watch and cancel
/// runs, read step logs and the event feed. Every argument is checked by <see cref="PipelineService"/>;
/// an invalid definition is refused whole (400) naming the step.
/// </summary>
internal static class PipelineEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/api/2.0/keel/pipelines", "/ajax-api/2.0/keel/pipelines" })
        {
            var group = app.MapGroup(prefix).WithTags("Pipelines")
                .PathParameter("name", "The pipeline's name.")
                .PathParameter("id", "The run's number.");
            group.MapGet(string.Empty, (Delegate)ListAsync)
                .Describe<PipelinesResponse>("List pipelines", "Every pipeline at its latest version: parameters, steps in dependency order, triggers.", 400);
            group.MapPost(string.Empty, (Delegate)ApplyAsync).Body<ApplyPipelineRequest>()
                .Describe<ApplyPipelineResponse>("Apply a pipeline definition", "Parses and checks the YAML or JSON definition (unknown keys, cycles, unknown step types, type mismatches between steps are refused naming the step) and stores it as a new version when it changed. With expected_version the apply succeeds only from that version (0: new).", 400, 409);
            group.MapGet("/step-types", (Delegate)StepTypesAsync)
                .Describe<StepTypesResponse>("List step types", "The step types this server runs, with their versions (part of every cache key).");
            group.MapGet("/runs", (Delegate)RunsAsync)
                .Describe<PipelineRunsResponse>("List pipeline runs", "Runs newest first, optionally of one pipeline and state, paged with before.", 400)
                .Query("pipeline", "Only this pipeline's runs.")
                .Query("state", "queued, running, succeeded, failed or cancelled.")
                .Query("before", "Only runs with a smaller id.", JsonSchemaType.Integer)
                .Query("max_results", "The most runs, 1-1000 (default 100).", JsonSchemaType.Integer);
            group.MapGet("/events", (Delegate)EventsAsync)
                .Describe<PipelineEventsResponse>("Read the pipeline event feed", "Every run and step state change after a position, oldest first; poll with next_after.", 400)
                .Query("after", "The last position seen (default 0).", JsonSchemaType.Integer)
                .Query("run_id", "Only this run's events.", JsonSchemaType.Integer)
                .Query("max_results", "The most events, 1-1000 (default 100).", JsonSchemaType.Integer);
            group.MapGet("/runs/{id}", GetRunAsync)
                .Describe<PipelineRunResponse>("Read a pipeline run", "The run with each step's state, attempts, cache key and source, outputs, MLflow run and error.", 400, 404);
            group.MapGet("/runs/{id}/logs", LogsAsync)
                .Describe<PipelineLogResponse>("Read a run's step logs", "Log lines in order, of one step or all, after a position; poll with next_after to follow.", 400, 404)
                .Query("step", "Only this step's lines.")
                .Query("after", "The last position seen (default 0).", JsonSchemaType.Integer)
                .Query("max_results", "The most lines, 1-10000 (default 1000).", JsonSchemaType.Integer);
            group.MapPost("/runs/{id}/cancel", CancelAsync).Body<CancelPipelineRunRequest>(optional: true)
                .Describe<PipelineRunResponse>("Cancel a pipeline run", "Ends a queued or running run and its unfinished steps as cancelled and stops the workers running them. A run that already ended is 409.", 400, 404, 409);
            group.MapGet("/{name}", GetAsync)
                .Describe<PipelineResponse>("Read a pipeline", "The pipeline at its latest version (or version=N) with its definition as applied.", 400, 404)
                .Query("version", "A version; default the latest.", JsonSchemaType.Integer);
            group.MapPost("/{name}/runs", StartAsync).Body<StartPipelineRunRequest>(optional: true)
                .Describe<StartPipelineRunResponse>("Start a pipeline run", "Creates a run of the latest version and returns at once; it waits queued while the concurrency limit is reached. With a dedupe key in use, or an idempotency key already used, the existing run is returned (created: false).", 400, 404);
            group.MapPost("/{name}/plan", PlanAsync).Body<PlanPipelineRequest>(optional: true)
                .Describe<PlanPipelineResponse>("Plan a pipeline run", "Which steps a run would run and which it would take from the cache, and why (which input, parameter or file changed since the step's last run). Runs nothing.", 400, 404);
        }
    }

    private static PipelineService Service(HttpContext context) =>
        new(context.RequestServices.GetRequiredService<PipelineRunner>(), () => Actor.From(context));

    private static async Task ListAsync(HttpContext context)
    {
        var list = await Service(context).ListPipelinesAsync(context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new PipelinesResponse { Pipelines = [.. list] }, PipelineApiJson.Default.PipelinesResponse).ConfigureAwait(false);
    }

    private static async Task ApplyAsync(HttpContext context)
    {
        var r = await WireIO.ReadAsync(context, PipelineApiJson.Default.ApplyPipelineRequest).ConfigureAwait(false);
        var applied = await Service(context).ApplyPipelineAsync(r.Definition ?? string.Empty, r.ExpectedVersion, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, applied, PipelineApiJson.Default.ApplyPipelineResponse).ConfigureAwait(false);
    }

    private static async Task StepTypesAsync(HttpContext context)
    {
        var types = await Service(context).ListStepTypesAsync(context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new StepTypesResponse { StepTypes = [.. types] }, PipelineApiJson.Default.StepTypesResponse).ConfigureAwait(false);
    }

    private static async Task RunsAsync(HttpContext context)
    {
        var runs = await Service(context).ListPipelineRunsAsync(
            QueryArgs.String(context, "pipeline"), QueryArgs.String(context, "state"), QueryArgs.Long(context, "before"), QueryArgs.Int(context, "max_results"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new PipelineRunsResponse { Runs = [.. runs] }, PipelineApiJson.Default.PipelineRunsResponse).ConfigureAwait(false);
    }

    private static async Task EventsAsync(HttpContext context)
    {
        var events = await Service(context).GetPipelineEventsAsync(
            QueryArgs.Long(context, "after") ?? 0, QueryArgs.Long(context, "run_id"), QueryArgs.Int(context, "max_results"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, events, PipelineApiJson.Default.PipelineEventsResponse).ConfigureAwait(false);
    }

    private static async Task GetRunAsync(HttpContext context, string id)
    {
        var run = await Service(context).GetPipelineRunAsync(RunId(id), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, run, PipelineApiJson.Default.PipelineRunResponse).ConfigureAwait(false);
    }

    private static async Task LogsAsync(HttpContext context, string id)
    {
        var log = await Service(context).GetPipelineLogAsync(
            RunId(id), QueryArgs.String(context, "step"), QueryArgs.Long(context, "after") ?? 0, QueryArgs.Int(context, "max_results"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, log, PipelineApiJson.Default.PipelineLogResponse).ConfigureAwait(false);
    }

    private static async Task CancelAsync(HttpContext context, string id)
    {
        var r = await WireIO.ReadAsync(context, PipelineApiJson.Default.CancelPipelineRunRequest).ConfigureAwait(false);
        var service = Service(context);
        var run = await service.CancelPipelineRunAsync(RunId(id), r.Reason, context.RequestAborted).ConfigureAwait(false);
        var details = await service.GetPipelineRunAsync(run.RunId, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, details, PipelineApiJson.Default.PipelineRunResponse).ConfigureAwait(false);
    }

    private static async Task GetAsync(HttpContext context, string name)
    {
        var pipeline = await Service(context).GetPipelineAsync(name, QueryArgs.Int(context, "version"), context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new PipelineResponse { Pipeline = pipeline }, PipelineApiJson.Default.PipelineResponse).ConfigureAwait(false);
    }

    private static async Task StartAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, PipelineApiJson.Default.StartPipelineRunRequest).ConfigureAwait(false);
        var started = await Service(context).StartPipelineRunAsync(name, r.Params, r.IdempotencyKey, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, started, PipelineApiJson.Default.StartPipelineRunResponse).ConfigureAwait(false);
    }

    private static async Task PlanAsync(HttpContext context, string name)
    {
        var r = await WireIO.ReadAsync(context, PipelineApiJson.Default.PlanPipelineRequest).ConfigureAwait(false);
        var plan = await Service(context).PlanPipelineAsync(name, r.Params, context.RequestAborted).ConfigureAwait(false);
        await WireIO.WriteAsync(context, new PlanPipelineResponse { Steps = [.. plan] }, PipelineApiJson.Default.PlanPipelineResponse).ConfigureAwait(false);
    }

    private static long RunId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw KeelException.InvalidParameter($"Path parameter 'id' must be a positive run number (got '{(id.Length > 40 ? id[..40] : id)}').");
}
