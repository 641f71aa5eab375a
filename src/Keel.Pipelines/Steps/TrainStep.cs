using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Application.Pipelines;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;
using Keel.Data.Tables;
using Keel.Training;

namespace Keel.Pipelines.Steps;

/// <summary>
/// <c>train</c>: <c>keel train</c> on a dataset version. Its parameters are the training spec's keys
/// except <c>data</c> (the input), with <c>trials</c>, <c>trainers</c>, <c>time_budget</c> and
/// <c>parallelism</c> also accepted at the top level as shortcuts for <c>search.*</c>; the spec is
/// parsed and checked by <see cref="TrainingSpecParser"/>, so its rules and messages are the CLI's.
/// The training run (and its trial runs) nest under the step's MLflow run. Outputs the model as
/// <c>models:/NAME/N</c> when <c>register_as</c> is set, else <c>runs:/&lt;training run&gt;/model</c>.
/// </summary>
internal sealed class TrainStep(PipelineServices services) : IStepType
{
    private static readonly string[] SpecKeys =
    [
        "label", "task", "features", "exclude", "categorical", "text", "max_one_hot_values", "separator", "positive_class",
        "validation", "metric", "search", "seed", "fairness", "experiment", "register_as", "run_name",
    ];

    private static readonly string[] SearchShortcuts = ["trials", "trainers", "time_budget", "parallelism"];

    private static readonly string[] Known = [.. SpecKeys, .. SearchShortcuts, "fail_on_fairness"];

    public string Name => "train";

    public int Version => 1;

    public string Summary => "Trains and tunes a model on a dataset (the keel train spec); outputs the model, its held-out metrics and the training run.";

    public bool Cacheable => true;

    public IReadOnlyCollection<string> ParamScopes => [];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) =>
        [new("dataset", PipelineValueKind.Dataset, Description: "The training data: a dataset version (or a CSV or Parquet file).")];

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) =>
    [
        new("model", PipelineValueKind.Model, Description: "models:/NAME/N when register_as is set, else runs:/<training run>/model."),
        new("metrics", PipelineValueKind.Metrics, Description: "The best model's held-out metrics (JSON object of numbers)."),
        new("run_id", PipelineValueKind.Value, Description: "The training (parent) run."),
    ];

    public void Validate(StepDefinition step)
    {
        StepParams.Check(step, Known, "label", "task");
        StepParams.Bool(step, step.Params, "fail_on_fairness", false);
        if (HasTemplate(step.Params))
        {
            // Types of templated values are known only once filled in; the run checks the whole spec.
            return;
        }

        Parse(step, step.Params, "data.csv");
    }

    public Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.Step;
        var files = new StepArtifacts(services, context);
        var (local, version) = await files.InputAsync("dataset", cancellationToken).ConfigureAwait(false);
        if (Directory.Exists(local))
        {
            // A version of several files (parts of one table) is trained on as one file.
            var merged = Path.Combine(files.Folder("train-data"), "data.csv");
            await TableExport.ExportAsync(local, merged, TableFormat.Csv, cancellationToken).ConfigureAwait(false);
            local = merged;
        }

        var spec = Parse(step, context.Params, local) with { DatasetVersion = version };
        if (spec.Experiment is null)
        {
            // Beside the step's own run, so the MLflow UI shows the training run nested under it.
            spec = spec with { Experiment = $"pipelines/{context.Pipeline}" };
        }

        context.Log($"training {spec.Task.ToString().ToLowerInvariant()} on {context.Inputs["dataset"]} (label '{spec.Label}', {(spec.Trials is { } t ? $"{t} trials" : "time budget")})");
        var runner = new TrainingRunner(services.Tracking, services.Artifacts, services.Models);
        var result = await runner.RunAsync(spec, new TrainProgressLog(context.Log), cancellationToken).ConfigureAwait(false);
        if (context.MlflowRunId is { } parent)
        {
            await services.Tracking.SetTagAsync(result.ParentRunId, "mlflow.parentRunId", parent, cancellationToken).ConfigureAwait(false);
            await services.Tracking.SetTagAsync(result.ParentRunId, "keel.pipeline", context.Pipeline, cancellationToken).ConfigureAwait(false);
            await services.Tracking.SetTagAsync(result.ParentRunId, "keel.pipeline.run_id", context.RunId.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            await services.Tracking.SetTagAsync(result.ParentRunId, "keel.pipeline.step", step.Name, cancellationToken).ConfigureAwait(false);
        }

        var metrics = result.Metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        var metricsUri = await files.PublishTextAsync(MetricsJson(metrics), "train/metrics.json", cancellationToken).ConfigureAwait(false);
        var model = result.RegisteredVersion is { } registered ? $"models:/{spec.RegisterAs}/{registered}" : $"runs:/{result.ParentRunId}/model";
        context.Log($"trained {result.Trials.Count} trials; best {result.Best.Trainer} {result.Metric} {result.Best.Score.ToString("G5", CultureInfo.InvariantCulture)}; model {model}");
        if (!result.FairnessPassed)
        {
            var violations = string.Join("; ", result.FairnessViolations);
            if (StepParams.Bool(step, context.Params, "fail_on_fairness", false))
            {
                throw new KeelException($"Step '{step.Name}' (train): the model breached its fairness limits: {violations} (training run {result.ParentRunId}).");
            }

            context.Log($"fairness limits breached: {violations}");
        }

        return new StepOutcome(
            new Dictionary<string, string> { ["model"] = model, ["metrics"] = metricsUri, ["run_id"] = result.ParentRunId },
            metrics);
    }

    /// <summary>Metrics as a JSON object of numbers, keys in order.</summary>
    internal static string MetricsJson(IReadOnlyDictionary<string, double> metrics)
    {
        var json = new JsonObject();
        foreach (var (key, value) in metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            json[key] = value;
        }

        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The spec the parameters describe, training on <paramref name="data"/>; errors name the step.</summary>
    private static TrainingSpec Parse(StepDefinition step, JsonElement parameters, string data)
    {
        var spec = new JsonObject();
        JsonObject? search = null;
        if (parameters.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in parameters.EnumerateObject())
            {
                if (p.Name == "fail_on_fairness")
                {
                    continue;
                }

                var value = JsonNode.Parse(p.Value.GetRawText());
                if (SearchShortcuts.Contains(p.Name))
                {
                    search ??= new JsonObject();
                    search[p.Name] = value;
                }
                else
                {
                    spec[p.Name] = value;
                }
            }
        }

        if (search is not null)
        {
            if (spec["search"] is JsonObject given)
            {
                foreach (var (key, value) in search)
                {
                    if (given.ContainsKey(key))
                    {
                        throw KeelException.InvalidParameter($"Step '{step.Name}' (train): give '{key}' once, either at the top or under 'search'.");
                    }

                    given[key] = value?.DeepClone();
                }
            }
            else if (spec["search"] is null)
            {
                spec["search"] = search;
            }
        }

        spec["data"] = data;
        try
        {
            // JSON is YAML, so the spec goes through the same parser and rules as a spec file.
            return TrainingSpecParser.Parse(spec.ToJsonString());
        }
        catch (KeelException e) when (e.Code == ErrorCode.InvalidParameterValue)
        {
            throw KeelException.InvalidParameter($"Step '{step.Name}' (train): {e.Message}");
        }
    }

    private static bool HasTemplate(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!.Contains("${", StringComparison.Ordinal),
        JsonValueKind.Object => element.EnumerateObject().Any(p => HasTemplate(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HasTemplate),
        _ => false,
    };
}
