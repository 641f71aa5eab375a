using Keel.Core.Pipelines.Definition;

namespace Keel.Application.Pipelines;

/// <summary>
/// <c>noop</c>: does nothing and outputs its <c>value</c> parameter (or the step's name). For trying a
/// pipeline's shape, triggers and caching without side effects, and for measuring the scheduler's own
/// overhead (bench <c>pipelines</c>).
/// </summary>
public sealed class NoopStep : IStepType
{
    private static readonly StepPort[] Outputs = [new("value", PipelineValueKind.Value, Description: "The 'value' parameter, or the step's name.")];

    /// <inheritdoc />
    public string Name => "noop";

    /// <inheritdoc />
    public int Version => 1;

    /// <inheritdoc />
    public string Summary => "Does nothing; outputs its 'value' parameter (for trying a pipeline's shape and measuring overhead).";

    /// <inheritdoc />
    public bool Cacheable => true;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ParamScopes => [];

    /// <inheritdoc />
    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) =>
        [.. (step ?? throw new ArgumentNullException(nameof(step))).Inputs.Keys.Select(name => new StepPort(name, PipelineValueKind.Value, Required: false, AnyKind: true))];

    /// <inheritdoc />
    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) => Outputs;

    /// <inheritdoc />
    public void Validate(StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(step);
        foreach (var p in step.Params.EnumerateObject())
        {
            if (p.Name is not ("value" or "fail"))
            {
                throw Keel.Core.Errors.KeelException.InvalidParameter($"Step '{step.Name}' (noop): parameter '{p.Name}' is not known; noop takes 'value' and 'fail'.");
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken) =>
        // Without a 'value' its output is the step's name, so the name decides the output too.
        Task.FromResult<IReadOnlyList<string>>([$"step:{(context ?? throw new ArgumentNullException(nameof(context))).Step.Name}"]);

    /// <inheritdoc />
    public Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Params.TryGetProperty("fail", out var fail) && fail.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            // A deliberate failure with the given message: lets users and tests see retries and skips.
            throw new InvalidOperationException(fail.GetString());
        }

        var value = context.Params.TryGetProperty("value", out var v) ? v.ToString() : context.Step.Name;
        return Task.FromResult(new StepOutcome(new Dictionary<string, string> { ["value"] = value }));
    }
}
