using Keel.Application.Pipelines;
using Keel.Core.Pipelines.Definition;
using Keel.Data.Profiling;
using Keel.Data.Tables;

namespace Keel.Pipelines.Steps;

/// <summary>
/// <c>profile</c>: profiles a dataset (row count, per column types, nulls, distinct values,
/// quantiles, histograms, top values) with the profiler <c>keel data add</c> uses, and outputs the
/// profile JSON.
/// </summary>
internal sealed class ProfileStep(PipelineServices services) : IStepType
{
    public string Name => "profile";

    public int Version => 1;

    public string Summary => "Profiles a dataset (types, nulls, distinct values, quantiles, histograms); outputs the profile JSON.";

    public bool Cacheable => true;

    public IReadOnlyCollection<string> ParamScopes => [];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) =>
        [new("dataset", PipelineValueKind.Dataset, Description: "The dataset version (or a table file or folder) to profile.")];

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) =>
        [new("report", PipelineValueKind.Report, Description: "The profile (JSON).")];

    public void Validate(StepDefinition step) => StepParams.Check(step, []);

    public Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var files = new StepArtifacts(services, context);
        var (local, _) = await files.InputAsync("dataset", cancellationToken).ConfigureAwait(false);
        context.Log($"profiling {context.Inputs["dataset"]}");
        var profile = await new TableProfiler().ProfileAsync(TableSource.Open(local), null, cancellationToken).ConfigureAwait(false);
        var report = await files.PublishTextAsync(profile.ToJson(), "profile/profile.json", cancellationToken).ConfigureAwait(false);
        context.Log($"{profile.RowCount} rows, {profile.Columns.Count} columns; report {report}");
        return new StepOutcome(
            new Dictionary<string, string> { ["report"] = report },
            new Dictionary<string, double> { ["rows"] = profile.RowCount, ["columns"] = profile.Columns.Count });
    }
}
