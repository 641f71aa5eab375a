using System.Globalization;
using Keel.Application.Pipelines;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;
using Keel.Data.Tables;

namespace Keel.Pipelines.Steps;

/// <summary>
/// <c>batch_predict</c>: scores a dataset with a model, as <c>keel predict</c> does (input columns
/// kept, <c>prediction</c> and <c>probability_&lt;class&gt;</c> appended). Outputs the predictions as a
/// file of the step's run, or, with <c>output_dataset</c>, as the next version of that dataset.
/// </summary>
internal sealed class BatchPredictStep(PipelineServices services) : IStepType
{
    private static readonly string[] Known = ["format", "output_dataset"];

    public string Name => "batch_predict";

    public int Version => 1;

    public string Summary => "Scores a dataset with a model; outputs the predictions as a file or as a new dataset version.";

    public bool Cacheable => true;

    public IReadOnlyCollection<string> ParamScopes => [];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) =>
    [
        new("model", PipelineValueKind.Model, Description: "The model (models:/NAME/N or runs:/RUN/PATH)."),
        new("dataset", PipelineValueKind.Dataset, Description: "The rows to score."),
    ];

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) =>
    [
        // With output_dataset the predictions are a dataset version; a file otherwise.
        StepParams.Find(step.Params, "output_dataset") is not null
            ? new("predictions", PipelineValueKind.Dataset, Description: "The predictions as a version of output_dataset.")
            : new("predictions", PipelineValueKind.File, Description: "The predictions (CSV or Parquet) as an artifact of the step's run."),
        new("rows", PipelineValueKind.Value, Description: "How many rows were scored."),
    ];

    public void Validate(StepDefinition step)
    {
        StepParams.Check(step, Known);
        StepParams.Choice(step, step.Params, "format", "csv", "parquet");
        StepParams.String(step, step.Params, "output_dataset");
    }

    public Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.Step;
        var files = new StepArtifacts(services, context);
        var modelUri = context.Inputs["model"];
        var model = await services.Models.LoadModelAsync(modelUri, cancellationToken).ConfigureAwait(false);
        var (local, _) = await files.InputAsync("dataset", cancellationToken).ConfigureAwait(false);
        var source = TableSource.Open(local);
        var format = StepParams.Choice(step, context.Params, "format", "csv", "parquet") switch
        {
            "parquet" => TableFormat.Parquet,
            "csv" => TableFormat.Csv,
            _ => source.Format == TableFormat.Parquet ? TableFormat.Parquet : TableFormat.Csv,
        };
        var extension = format == TableFormat.Parquet ? ".parquet" : ".csv";
        context.Log($"scoring {context.Inputs["dataset"]} with {modelUri}");
        var parts = files.Folder("scored");
        var rows = await StepScoring.ScoreAsync(model, local, parts, cancellationToken).ConfigureAwait(false);
        var output = Path.Combine(files.Folder("predictions"), "predictions" + extension);
        var scoredParts = Directory.GetFiles(parts);
        if (scoredParts.Length == 1 && source.Format == format)
        {
            // One part in the wanted format is the answer as it is: untouched columns keep their exact text.
            File.Move(scoredParts[0], output);
        }
        else
        {
            await TableExport.ExportAsync(parts, output, format, cancellationToken).ConfigureAwait(false);
        }

        string predictions;
        if (StepParams.String(step, context.Params, "output_dataset") is { } dataset)
        {
            var added = await services.Data.AddAsync(output, dataset, null, $"pipeline {context.Pipeline}", null, cancellationToken).ConfigureAwait(false);
            predictions = added.Version?.Uri
                ?? throw new KeelException($"Step '{step.Name}' (batch_predict): dataset '{dataset}' refused the predictions: a critical expectation of its suite failed.");
            context.Log(added.Created ? $"added the predictions as {predictions}" : $"the predictions equal {predictions}; no new version");
        }
        else
        {
            predictions = await files.PublishAsync(output, "predictions/predictions" + extension, cancellationToken).ConfigureAwait(false);
        }

        context.Log($"scored {rows} rows; predictions {predictions}");
        return new StepOutcome(
            new Dictionary<string, string> { ["predictions"] = predictions, ["rows"] = rows.ToString(CultureInfo.InvariantCulture) },
            new Dictionary<string, double> { ["rows"] = rows });
    }
}
