using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Core.Errors;
using Keel.Core.Pipelines;
using Keel.Core.Registry;
using Keel.Core.Tracking;

namespace Keel.Application.Governance;

/// <summary>
/// What a reviewer is shown with a request, gathered when it is made: the model version (name,
/// version, source, run), the source run and who created it, the run's dataset inputs with their
/// digests, the gate report when the version came from a pipeline run, the model card artifact when
/// the run has one, and for endpoints the traffic now and as proposed. Each part is best effort: a
/// part that cannot be read is left out, never failing the request.
/// </summary>
public sealed class ApprovalEvidence
{
    private readonly IModelRegistryStore _registry;
    private readonly ITrackingStore _tracking;
    private readonly IPipelineStore? _pipelines;
    private readonly Func<RunInfo, CancellationToken, Task<string?>>? _modelCard;

    /// <param name="registry">Model versions.</param>
    /// <param name="tracking">Runs and their dataset inputs.</param>
    /// <param name="pipelines">Pipeline runs, for gate reports; or null.</param>
    /// <param name="modelCard">Finds a run's model card artifact (its URI), or null.</param>
    public ApprovalEvidence(IModelRegistryStore registry, ITrackingStore tracking, IPipelineStore? pipelines = null, Func<RunInfo, CancellationToken, Task<string?>>? modelCard = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _tracking = tracking ?? throw new ArgumentNullException(nameof(tracking));
        _pipelines = pipelines;
        _modelCard = modelCard;
    }

    /// <summary>The user who created the source run, as recorded in evidence; null when unknown.</summary>
    /// <param name="evidence">The evidence JSON.</param>
    public static string? RunCreator(string? evidence)
    {
        if (evidence is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(evidence)?["run"]?["user_id"]?.GetValue<string>() is { Length: > 0 } user ? user : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The evidence of a change, as JSON.</summary>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> CollectAsync(GatedChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var evidence = new JsonObject();
        if (change.Model is { } model)
        {
            await AddModelAsync(evidence, model.Name, model.Version, cancellationToken).ConfigureAwait(false);
        }

        if (change.CurrentTraffic is not null || change.ProposedTraffic is not null)
        {
            evidence["traffic"] = new JsonObject { ["current"] = change.CurrentTraffic?.DeepClone(), ["proposed"] = change.ProposedTraffic?.DeepClone() };
        }

        return evidence.ToJsonString();
    }

    private async Task AddModelAsync(JsonObject evidence, string name, long number, CancellationToken cancellationToken)
    {
        ModelVersion version;
        try
        {
            version = await _registry.GetModelVersionAsync(name, number, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException)
        {
            return;
        }

        evidence["model_version"] = new JsonObject
        {
            ["name"] = version.Name,
            ["version"] = version.Version.ToString(CultureInfo.InvariantCulture),
            ["source"] = version.Source,
            ["run_id"] = version.RunId,
            ["created_by"] = version.UserId,
        };
        if (version.RunId is { Length: > 0 } runId)
        {
            await AddRunAsync(evidence, runId, cancellationToken).ConfigureAwait(false);
        }

        if (_pipelines is not null
            && version.Tags.FirstOrDefault(t => t.Key == "keel.pipeline.run_id")?.Value is { } pipelineRun
            && long.TryParse(pipelineRun, NumberStyles.None, CultureInfo.InvariantCulture, out var pipelineRunId))
        {
            foreach (var step in await _pipelines.GetStepsAsync(pipelineRunId, cancellationToken).ConfigureAwait(false))
            {
                if (step.Outputs.TryGetValue("report", out var report) && step.Outputs.TryGetValue("decision", out var decision))
                {
                    evidence["gate_report"] = new JsonObject
                    {
                        ["pipeline"] = version.Tags.FirstOrDefault(t => t.Key == "keel.pipeline")?.Value,
                        ["pipeline_run_id"] = pipelineRunId,
                        ["step"] = step.Step,
                        ["decision"] = decision,
                        ["report"] = report,
                    };
                }
            }
        }
    }

    private async Task AddRunAsync(JsonObject evidence, string runId, CancellationToken cancellationToken)
    {
        Run run;
        try
        {
            run = await _tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException)
        {
            return;
        }

        evidence["run"] = new JsonObject
        {
            ["run_id"] = run.Info.RunId,
            ["run_name"] = run.Info.RunName,
            ["experiment_id"] = run.Info.ExperimentId,
            ["user_id"] = run.Info.UserId,
            ["artifact_uri"] = run.Info.ArtifactUri,
        };
        var datasets = new JsonArray();
        foreach (var input in run.Inputs)
        {
            datasets.Add(new JsonObject
            {
                ["name"] = input.Dataset.Name,
                ["digest"] = input.Dataset.Digest,
                ["source_type"] = input.Dataset.SourceType,
                ["source"] = input.Dataset.Source,
                ["context"] = input.Tags.FirstOrDefault(t => t.Key == "mlflow.data.context")?.Value,
            });
        }

        evidence["datasets"] = datasets;
        if (_modelCard is not null && await _modelCard(run.Info, cancellationToken).ConfigureAwait(false) is { } card)
        {
            evidence["model_card"] = card;
        }
    }
}
