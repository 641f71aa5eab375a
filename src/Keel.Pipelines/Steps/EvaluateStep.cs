using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Application.Pipelines;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;
using Keel.Data.Tables;

namespace Keel.Pipelines.Steps;

/// <summary>
/// <c>evaluate</c>: scores a model on a dataset and computes its metrics (overall and per slice)
/// with the metric code training uses. Outputs the metrics (a JSON object of numbers), the full
/// evaluation (JSON with slices, beside the metrics) and the per-row predictions (CSV: row_id,
/// label, prediction, score, the class probabilities and the slice columns), which the gate pairs
/// between champion and challenger.
/// </summary>
internal sealed class EvaluateStep(PipelineServices services) : IStepType
{
    private static readonly string[] Known = ["label", "task", "positive_class", "slices"];

    public string Name => "evaluate";

    public int Version => 1;

    public string Summary => "Scores a model on a dataset; outputs its metrics (overall and per slice) and the per-row predictions.";

    public bool Cacheable => true;

    public IReadOnlyCollection<string> ParamScopes => [];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) =>
    [
        new("model", PipelineValueKind.Model, Description: "The model to score (models:/NAME/N or runs:/RUN/PATH)."),
        new("dataset", PipelineValueKind.Dataset, Description: "The evaluation data, with the label column."),
    ];

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) =>
    [
        new("metrics", PipelineValueKind.Metrics, Description: "The metrics (JSON object of numbers); evaluation.json beside it has the slices."),
        new("predictions", PipelineValueKind.File, Description: "CSV of row_id, label, prediction, score, probability_<class>… and the slice columns."),
    ];

    public void Validate(StepDefinition step)
    {
        StepParams.Check(step, Known, "label");
        StepParams.String(step, step.Params, "label");
        StepParams.Choice(step, step.Params, "task", "binary", "multiclass", "regression");
        StepParams.String(step, step.Params, "positive_class");
        StepParams.Names(step, step.Params, "slices");
    }

    public Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.Step;
        var field = $"Step '{step.Name}' (evaluate)";
        var label = StepParams.String(step, context.Params, "label") ?? throw StepParams.Invalid(step, "label", "is required");
        var slices = StepParams.Names(step, context.Params, "slices") ?? [];
        var files = new StepArtifacts(services, context);
        var modelUri = context.Inputs["model"];
        var loaded = await services.Models.LoadAsync(modelUri, cancellationToken).ConfigureAwait(false);
        var flavor = loaded.Model.Manifest.MlNet;
        var task = StepParams.Choice(step, context.Params, "task", "binary", "multiclass", "regression")
            ?? flavor?.Task?.ToLowerInvariant()
            ?? throw KeelException.InvalidParameter($"{field}: the model does not record its task; give parameter 'task' (binary, multiclass or regression).");
        if (task is not ("binary" or "multiclass" or "regression"))
        {
            throw KeelException.InvalidParameter($"{field}: the model's task '{task}' is not binary, multiclass or regression; give parameter 'task'.");
        }

        var (local, _) = await files.InputAsync("dataset", cancellationToken).ConfigureAwait(false);
        var scored = files.Folder("scored");
        context.Log($"scoring {context.Inputs["dataset"]} with {modelUri} ({task})");
        var rows = await StepScoring.ScoreAsync(loaded.Model, local, scored, cancellationToken).ConfigureAwait(false);
        var table = await ColumnarTable.ReadAsync(scored, null, cancellationToken).ConfigureAwait(false);
        foreach (var slice in slices)
        {
            if (!table.Names.Contains(slice))
            {
                throw KeelException.InvalidParameter($"{field}: slice column '{slice}' is not in the dataset.");
            }
        }

        var set = EvaluationSet.Read(table, task, label, flavor?.LabelValues ?? [], StepParams.String(step, context.Params, "positive_class"), field);
        if (set.Count == 0)
        {
            throw KeelException.InvalidParameter($"{field}: no row of the dataset has a label in column '{label}'.");
        }

        var metrics = Finite(set.Metrics());
        var evaluation = new JsonObject
        {
            ["model"] = modelUri,
            ["model_source"] = loaded.Resolved.ArtifactUri,
            ["dataset"] = context.Inputs["dataset"],
            ["task"] = task,
            ["label"] = label,
            ["positive_class"] = set.Positive,
            ["classes"] = set.Classes.Count > 0 ? new JsonArray([.. set.Classes.Select(c => (JsonNode)c)]) : null,
            ["rows"] = rows,
            ["rows_evaluated"] = set.Count,
            ["rows_without_label"] = set.Unlabelled,
            ["metrics"] = Json(metrics),
            ["slices"] = Slices(table, set, slices),
        };
        var predictions = Path.Combine(files.Folder("predictions"), "predictions.csv");
        await File.WriteAllTextAsync(predictions, PredictionsCsv(table, set, slices), cancellationToken).ConfigureAwait(false);
        var metricsUri = await files.PublishTextAsync(TrainStep.MetricsJson(metrics), "evaluation/metrics.json", cancellationToken).ConfigureAwait(false);
        await files.PublishTextAsync(evaluation.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), "evaluation/evaluation.json", cancellationToken).ConfigureAwait(false);
        var predictionsUri = await files.PublishAsync(predictions, "evaluation/predictions.csv", cancellationToken).ConfigureAwait(false);
        var headline = metrics.Keys.FirstOrDefault(k => k is "auc" or "macro_accuracy" or "rmse");
        context.Log($"evaluated {set.Count} rows{(headline is null ? "" : $": {headline} {metrics[headline].ToString("G5", CultureInfo.InvariantCulture)}")}; metrics {metricsUri}");
        return new StepOutcome(new Dictionary<string, string> { ["metrics"] = metricsUri, ["predictions"] = predictionsUri }, metrics);
    }

    private static Dictionary<string, double> Finite(Dictionary<string, double> metrics) =>
        metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);

    private static JsonObject Json(IReadOnlyDictionary<string, double> metrics)
    {
        var json = new JsonObject();
        foreach (var (key, value) in metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            json[key] = value;
        }

        return json;
    }

    /// <summary>Per slice column, per value: how many rows and their metrics.</summary>
    private static JsonObject Slices(ColumnarTable table, EvaluationSet set, IReadOnlyList<string> slices)
    {
        var result = new JsonObject();
        foreach (var slice in slices)
        {
            var values = EvaluationSet.Text(table, slice);
            var groups = new JsonObject();
            foreach (var group in Enumerable.Range(0, set.Count).GroupBy(i => values[set.Rows[i]] ?? "(null)", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var members = group.ToArray();
                groups[group.Key] = new JsonObject { ["count"] = members.Length, ["metrics"] = Json(Finite(set.Metrics(members))) };
            }

            result[slice] = groups;
        }

        return result;
    }

    private static string PredictionsCsv(ColumnarTable table, EvaluationSet set, IReadOnlyList<string> slices)
    {
        var sliceValues = slices.Select(s => EvaluationSet.Text(table, s)).ToArray();
        var csv = new StringBuilder();
        var header = new List<string> { "row_id", "label", "prediction", "score" };
        if (set.Task == "multiclass")
        {
            header.AddRange(set.Classes.Select(c => "probability_" + c));
        }

        header.AddRange(slices);
        csv.AppendJoin(',', header.Select(Quote)).Append('\n');
        var k = set.Classes.Count;
        for (var i = 0; i < set.Count; i++)
        {
            csv.Append(set.Rows[i].ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Quote(set.Labels[i])).Append(',')
                .Append(Quote(set.Predictions[i] ?? string.Empty)).Append(',')
                .Append(set.Scores[i].ToString("R", CultureInfo.InvariantCulture));
            if (set.Task == "multiclass")
            {
                for (var c = 0; c < k; c++)
                {
                    csv.Append(',').Append(set.Probabilities[(i * k) + c].ToString("R", CultureInfo.InvariantCulture));
                }
            }

            foreach (var values in sliceValues)
            {
                csv.Append(',').Append(Quote(values[set.Rows[i]] ?? string.Empty));
            }

            csv.Append('\n');
        }

        return csv.ToString();
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
