using System.Globalization;
using Keel.Application.Features;
using Keel.Application.Pipelines;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;

namespace Keel.Pipelines.Steps;

/// <summary>
/// <c>materialize</c>: copies feature views into the online store, incrementally from each view's
/// watermark (minus the late-data overlap) up to now, as <c>keel features materialize-incremental</c>
/// does. Params: <c>views</c> (names; default every online view), <c>overlap</c> (e.g. <c>1h</c>, the
/// default), <c>incremental</c> (default true; false re-reads everything up to now). Re-running it
/// changes nothing new, so it is never cached.
/// </summary>
internal sealed class MaterializeStep(PipelineServices services) : IStepType
{
    private static readonly string[] Known = ["views", "overlap", "incremental"];

    public string Name => "materialize";

    public int Version => 1;

    public string Summary => "Materializes feature views into the online store, incrementally from each view's watermark; outputs the rows written.";

    public bool Cacheable => false;

    public IReadOnlyCollection<string> ParamScopes => [];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) => [];

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) =>
        [new("rows", PipelineValueKind.Value, Description: "Rows written to the online store, over every view.")];

    public void Validate(StepDefinition step)
    {
        StepParams.Check(step, Known);
        _ = StepParams.Names(step, step.Params, "views");
        if (StepParams.String(step, step.Params, "overlap") is { } overlap && !overlap.Contains("${", StringComparison.Ordinal))
        {
            try
            {
                MaterializeJobHandler.ParseDuration(overlap, "overlap");
            }
            catch (KeelException)
            {
                throw StepParams.Invalid(step, "overlap", $"'{overlap}' is not a duration such as 30m, 1h or 2d");
            }
        }
    }

    public Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var build = services.Materializer
            ?? throw new KeelException(ErrorCode.InvalidParameterValue, $"Step '{context.Step.Name}' (materialize): this process has no feature store to materialize into; run it on keel server or keel worker.");
        var overlap = StepParams.String(context.Step, context.Params, "overlap") is { } text ? MaterializeJobHandler.ParseDuration(text, "overlap") : (TimeSpan?)null;
        var request = new MaterializeRequest(
            StepParams.Names(context.Step, context.Params, "views"),
            Incremental: StepParams.Bool(context.Step, context.Params, "incremental", true),
            Overlap: overlap);
        var results = await build().RunAsync(request, null, cancellationToken).ConfigureAwait(false);
        long rows = 0;
        foreach (var r in results)
        {
            rows += r.Rows;
            context.Log(r.Skipped is { } why
                ? $"{r.View} v{r.Version}: skipped ({why})"
                : string.Create(CultureInfo.InvariantCulture, $"{r.View} v{r.Version}: {r.Rows} rows in {r.Elapsed.TotalSeconds:0.###} s ({r.RowsPerSecond:0} rows/s), window ({r.Start?.ToString("O", CultureInfo.InvariantCulture) ?? "beginning"}, {r.End:O}]"));
        }

        return new StepOutcome(
            new Dictionary<string, string> { ["rows"] = rows.ToString(CultureInfo.InvariantCulture) },
            new Dictionary<string, double> { ["rows"] = rows, ["views"] = results.Count });
    }
}
