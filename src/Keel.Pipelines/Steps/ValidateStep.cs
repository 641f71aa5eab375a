using System.Text.Json.Nodes;
using Keel.Application.Pipelines;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;
using Keel.Data.Validation;

namespace Keel.Pipelines.Steps;

/// <summary>
/// <c>validate</c>: checks a dataset version against a Great Expectations suite (the one given, or
/// the one attached to the dataset), as <c>keel data validate</c> does. Outputs the same pinned
/// dataset, so downstream steps chain on a validated version, and the validation result. A failed
/// critical expectation fails the step unless <c>fail_on_error: false</c>; failed warnings are logged.
/// </summary>
internal sealed class ValidateStep(PipelineServices services) : IStepType
{
    private static readonly string[] Known = ["suite", "fail_on_error"];

    public string Name => "validate";

    public int Version => 1;

    public string Summary => "Checks a dataset against a Great Expectations suite; outputs the same dataset and the validation result.";

    public bool Cacheable => true;

    public IReadOnlyCollection<string> ParamScopes => [];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) =>
        [new("dataset", PipelineValueKind.Dataset, Description: "The dataset version (or a table file or folder) to check.")];

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) =>
    [
        new("dataset", PipelineValueKind.Dataset, Description: "The input, unchanged: the version that passed."),
        new("report", PipelineValueKind.Report, Description: "The validation result (Great Expectations JSON)."),
    ];

    public void Validate(StepDefinition step)
    {
        StepParams.Check(step, Known);
        StepParams.String(step, step.Params, "suite");
        StepParams.Bool(step, step.Params, "fail_on_error", true);
    }

    public async Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);

        // The suite decides the result as much as the data does: an edited suite file, or a new suite
        // attached to the dataset, must miss the cache.
        try
        {
            var suite = await SuiteTextAsync(context, cancellationToken).ConfigureAwait(false);
            return [$"suite={StepParams.Hash(suite)}"];
        }
        catch (KeelException e) when (e.Code is ErrorCode.InvalidParameterValue or ErrorCode.ResourceDoesNotExist)
        {
            // No suite to hash: the run itself fails with this message, so nothing is cached under it.
            return [$"suite=unavailable: {e.Message}"];
        }
    }

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.Step;
        var failOnError = StepParams.Bool(step, context.Params, "fail_on_error", true);
        var suite = ExpectationSuite.Parse(await SuiteTextAsync(context, cancellationToken).ConfigureAwait(false));
        var files = new StepArtifacts(services, context);
        var input = context.Inputs["dataset"];
        var target = DatasetUri.IsDatasetUri(input) ? input : (await files.InputAsync("dataset", cancellationToken).ConfigureAwait(false)).Path;
        context.Log($"validating {input} against suite '{suite.Name}' ({suite.Expectations.Count} expectations)");
        var result = await services.Data.ValidateAsync(target, suite, null, cancellationToken).ConfigureAwait(false);
        var report = await files.PublishTextAsync(result.ToJson(), "validation/validation_result.json", cancellationToken).ConfigureAwait(false);
        await files.PublishTextAsync(ValidationReport.ToHtml(result, input), "validation/validation_report.html", cancellationToken).ConfigureAwait(false);

        var failed = result.Results.Where(r => !r.Success).ToList();
        var errors = failed.Where(r => r.Expectation.Severity == ExpectationConfiguration.Critical).ToList();
        context.Log($"{result.Successful} of {result.Evaluated} expectations passed; report {report}");
        foreach (var warning in failed.Except(errors))
        {
            context.Log($"failed ({warning.Expectation.Severity}): {Describe(warning)}");
        }

        if (errors.Count > 0)
        {
            var message = $"{errors.Count} expectation{(errors.Count == 1 ? "" : "s")} failed on {input}: {string.Join("; ", errors.Select(Describe))} (report: {report})";
            if (failOnError)
            {
                throw new KeelException($"Step '{step.Name}' (validate): {message}");
            }

            context.Log($"{message}; going on (fail_on_error: false)");
        }

        return new StepOutcome(
            new Dictionary<string, string> { ["dataset"] = input, ["report"] = report },
            new Dictionary<string, double>
            {
                ["expectations_evaluated"] = result.Evaluated,
                ["expectations_failed"] = failed.Count,
                ["expectations_failed_critical"] = errors.Count,
            });
    }

    /// <summary>The expectation and what it checked, e.g. <c>expect_column_values_to_be_between(column=mean_radius): observed 57.1</c>.</summary>
    private static string Describe(ExpectationValidationResult r)
    {
        var column = r.Expectation.Kwargs["column"] is JsonValue c && c.TryGetValue<string>(out var name) ? $"(column={name})" : string.Empty;
        var observed = r.ExceptionMessage ?? (r.Result["unexpected_count"] is { } count
            ? $"{count.ToJsonString()} unexpected values"
            : r.Result["observed_value"] is { } value ? "observed " + value.ToJsonString() : null);
        return observed is null ? r.Expectation.Type + column : $"{r.Expectation.Type}{column}: {observed}";
    }

    private async Task<string> SuiteTextAsync(StepContext context, CancellationToken cancellationToken)
    {
        var step = context.Step;
        if (StepParams.String(step, context.Params, "suite") is { } path)
        {
            return File.Exists(path)
                ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)
                : throw KeelException.InvalidParameter($"Step '{step.Name}' (validate): parameter 'suite': '{path}' does not exist.");
        }

        var input = context.Inputs["dataset"];
        if (!DatasetUri.IsDatasetUri(input))
        {
            throw KeelException.InvalidParameter($"Step '{step.Name}' (validate): parameter 'suite' is required when the input is not a dataset URI ('{input}').");
        }

        var name = DatasetUri.Parse(input).Name;
        var dataset = await services.Datasets.GetAsync(name, cancellationToken).ConfigureAwait(false);
        return dataset.Suite ?? throw KeelException.InvalidParameter(
            $"Step '{step.Name}' (validate): dataset '{name}' has no suite attached; give parameter 'suite' or attach one (keel data add --suite).");
    }
}
