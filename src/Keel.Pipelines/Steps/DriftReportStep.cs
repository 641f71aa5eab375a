using System.Globalization;
using System.Text.Json;
using Keel.Application.Monitoring;
using Keel.Application.Pipelines;
using Keel.Compute.Drift;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;
using Keel.Data.Tables;

namespace Keel.Pipelines.Steps;

/// <summary>
/// <c>drift_report</c>: data drift between a reference and a current dataset with Evidently's
/// statistics, as <c>keel monitor drift</c> computes it (same options, same JSON). Outputs the JSON
/// report (the HTML report with a histogram per column is written beside it) and whether the
/// dataset drifted.
/// </summary>
internal sealed class DriftReportStep(PipelineServices services) : IStepType
{
    private static readonly string[] Known = ["method", "per_column", "threshold", "drift_share", "columns"];

    public string Name => "drift_report";

    public int Version => 1;

    public string Summary => "Data drift between a reference and a current dataset (Evidently's tests); outputs the report and whether it drifted.";

    public bool Cacheable => true;

    public IReadOnlyCollection<string> ParamScopes => [];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) =>
    [
        new("reference", PipelineValueKind.Dataset, Description: "The reference data (e.g. the training version)."),
        new("current", PipelineValueKind.Dataset, Description: "The data to compare with it."),
    ];

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) =>
    [
        new("report", PipelineValueKind.Report, Description: "The drift report (JSON, Evidently's field names); drift_report.html beside it."),
        new("drifted", PipelineValueKind.Value, Description: "\"true\" when the dataset drifted, else \"false\"."),
    ];

    public void Validate(StepDefinition step)
    {
        StepParams.Check(step, Known);
        StepParams.Names(step, step.Params, "columns");
        var options = Options(step, step.Params);
        try
        {
            // Per-column methods are checked against the columns when the step runs.
            DriftEngine.Validate(options with { ColumnMethods = new Dictionary<string, string>() }, new Dictionary<string, DriftColumnType>());
        }
        catch (DriftOptionsException e)
        {
            throw StepParams.Invalid(step, e.Option.Replace('-', '_'), "is not valid: " + e.Message);
        }
    }

    public Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.Step;
        var field = $"Step '{step.Name}' (drift_report)";
        var options = Options(step, context.Params);
        var wanted = StepParams.Names(step, context.Params, "columns");
        var files = new StepArtifacts(services, context);
        var reference = await ReadAsync(files, "reference", wanted, field, cancellationToken).ConfigureAwait(false);
        var current = await ReadAsync(files, "current", wanted, field, cancellationToken).ConfigureAwait(false);
        var columns = DriftTables.Pair(reference, current, wanted is not null, $"{field}: parameter 'columns'", $"{field}: input 'current'");
        DatasetDriftResult drift;
        try
        {
            DriftEngine.Validate(options, columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal));
            drift = DriftEngine.Compare(columns, options, cancellationToken);
        }
        catch (DriftOptionsException e)
        {
            throw StepParams.Invalid(step, e.Option.Replace('-', '_'), "is not valid: " + e.Message);
        }

        var json = DriftTables.ToJson(drift);
        json["reference"] = context.Inputs["reference"];
        json["current"] = context.Inputs["current"];
        var report = await files.PublishTextAsync(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), "drift/drift_report.json", cancellationToken).ConfigureAwait(false);
        await files.PublishTextAsync(DriftReport.ToHtml(drift, context.Inputs["reference"], context.Inputs["current"]), "drift/drift_report.html", cancellationToken).ConfigureAwait(false);
        context.Log(
            $"{(drift.DatasetDrift ? "dataset drift" : "no dataset drift")}: {drift.NumberOfDriftedColumns} of {drift.NumberOfColumns} columns drifted " +
            $"(share {drift.ShareOfDriftedColumns.ToString("G3", CultureInfo.InvariantCulture)}, drift share {drift.DriftShare.ToString(CultureInfo.InvariantCulture)}); report {report}");
        return new StepOutcome(
            new Dictionary<string, string> { ["report"] = report, ["drifted"] = drift.DatasetDrift ? "true" : "false" },
            new Dictionary<string, double>
            {
                ["share_of_drifted_columns"] = drift.ShareOfDriftedColumns,
                ["number_of_drifted_columns"] = drift.NumberOfDriftedColumns,
            });
    }

    private static async Task<ColumnarTable> ReadAsync(StepArtifacts files, string input, IReadOnlyList<string>? columns, string field, CancellationToken cancellationToken)
    {
        var (local, _) = await files.InputAsync(input, cancellationToken).ConfigureAwait(false);
        try
        {
            return await ColumnarTable.ReadAsync(local, columns, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.InvalidParameterValue)
        {
            throw KeelException.InvalidParameter($"{field}: input '{input}': {e.Message.Replace("--columns: ", "parameter 'columns': ", StringComparison.Ordinal)}");
        }
    }

    private static DriftOptions Options(StepDefinition step, JsonElement parameters)
    {
        var perColumn = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (StepParams.Find(parameters, "per_column"))
        {
            case null or { ValueKind: JsonValueKind.Null }:
                break;
            case { ValueKind: JsonValueKind.Object } map:
                foreach (var p in map.EnumerateObject())
                {
                    perColumn[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw StepParams.Invalid(step, "per_column", "must map column names to method names");
                }

                break;
            default:
                throw StepParams.Invalid(step, "per_column", "must map column names to method names, e.g. {age: ks, city: psi}");
        }

        var method = StepParams.String(step, parameters, "method");
        return new DriftOptions
        {
            Method = method is not null && method.Contains("${", StringComparison.Ordinal) ? null : method,
            ColumnMethods = perColumn,
            Threshold = StepParams.Double(step, parameters, "threshold", 0),
            DriftShare = StepParams.Double(step, parameters, "drift_share", 0, 1) ?? 0.5,
        };
    }
}
