using System.Text.Json;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Tracking;

namespace Keel.Application.Promptlab;

/// <summary>
/// Records a prompt experiment from MLflow's prompt-engineering UI as a finished run, as MLflow's
/// <c>create-promptlab-run</c> does: the model parameters, route and template as params, the
/// evaluation table (inputs, prompt, output) as the run's <c>eval_results_table.json</c> artifact
/// that the UI's evaluation view reads, and the tags that mark the run as prompt engineering.
/// MLflow also writes a Python model that calls its AI gateway at prediction time; Keel has no
/// gateway to run it with, so it does not write one.
/// </summary>
public sealed class PromptlabService
{
    private const string EvalTableFile = "eval_results_table.json";

    private readonly TrackingService _tracking;
    private readonly Func<string, (IArtifactStore Store, string Root)> _openArtifactRoot;
    private readonly TimeProvider _time;

    /// <param name="tracking">The tracking use cases.</param>
    /// <param name="openArtifactRoot">
    /// Maps a run's artifact URI to the store holding it and the root path in that store, as the
    /// server reads run artifacts in its current artifact mode; throws when the server cannot reach it.
    /// </param>
    /// <param name="time">Clock; the system clock by default.</param>
    public PromptlabService(TrackingService tracking, Func<string, (IArtifactStore Store, string Root)> openArtifactRoot, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        ArgumentNullException.ThrowIfNull(openArtifactRoot);
        _tracking = tracking;
        _openArtifactRoot = openArtifactRoot;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Creates the run. A failure after the run exists (a parameter over its limit, an artifact store
    /// that cannot be written) leaves the run FAILED rather than half-recorded and RUNNING, as MLflow does.
    /// </summary>
    public async Task<Run> CreateRunAsync(PromptlabRunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Require("experiment_id", request.ExperimentId);
        Require("prompt_template", request.PromptTemplate);
        if (request.PromptParameters is null || request.PromptParameters.Count == 0)
        {
            throw Missing("prompt_parameters");
        }

        Require("model_route", request.ModelRoute);
        Require("model_input", request.ModelInput);
        Require("mlflow_version", request.MlflowVersion);

        var run = await _tracking.CreateRunAsync(
            request.ExperimentId,
            string.IsNullOrEmpty(request.UserId) ? "unknown" : request.UserId,
            request.RunName,
            request.StartTime ?? Now(),
            request.Tags,
            cancellationToken).ConfigureAwait(false);
        var runId = run.Info.RunId;

        var status = "FINISHED";
        try
        {
            await RecordAsync(run, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KeelException or IOException or UnauthorizedAccessException)
        {
            status = "FAILED";
        }

        await _tracking.UpdateRunAsync(runId, status, Now(), request.RunName, CancellationToken.None).ConfigureAwait(false);
        return await _tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordAsync(Run run, PromptlabRunRequest request, CancellationToken cancellationToken)
    {
        var @params = new List<Param>(request.ModelParameters) { new("model_route", request.ModelRoute!), new("prompt_template", request.PromptTemplate!) };
        Tag[] tags =
        [
            new("mlflow.loggedArtifacts", $$"""[{"path": "{{EvalTableFile}}", "type": "table"}]"""),
            new("mlflow.runSourceType", "PROMPT_ENGINEERING"),
        ];
        await _tracking.LogBatchAsync(run.Info.RunId, [], @params, tags, cancellationToken).ConfigureAwait(false);

        var (store, root) = _openArtifactRoot(run.Info.ArtifactUri);
        using var table = new MemoryStream(EvalTable(request));
        var path = root.Length == 0 ? EvalTableFile : $"{root.TrimEnd('/')}/{EvalTableFile}";
        await store.WriteAsync(path, table, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One row: the prompt parameters, the prompt, the output, then the output parameters (e.g. latency).</summary>
    private static byte[] EvalTable(PromptlabRunRequest request)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("columns");
            foreach (var p in request.PromptParameters!)
            {
                json.WriteStringValue(p.Key);
            }

            json.WriteStringValue("prompt");
            json.WriteStringValue("output");
            foreach (var p in request.ModelOutputParameters)
            {
                json.WriteStringValue(p.Key);
            }

            json.WriteEndArray();
            json.WriteStartArray("data");
            json.WriteStartArray();
            foreach (var p in request.PromptParameters!)
            {
                json.WriteStringValue(p.Value);
            }

            json.WriteStringValue(request.ModelInput);
            if (request.ModelOutput is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteStringValue(request.ModelOutput);
            }

            foreach (var p in request.ModelOutputParameters)
            {
                json.WriteStringValue(p.Value);
            }

            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Require(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw Missing(field);
        }
    }

    private static KeelException Missing(string field) =>
        KeelException.InvalidParameter($"CreatePromptlabRun request must specify {field}.");

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
