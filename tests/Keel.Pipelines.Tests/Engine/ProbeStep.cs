using System.Collections.Concurrent;
using Keel.Application.Pipelines;
using Keel.Core.Pipelines.Definition;

namespace Keel.Pipelines.Tests.Engine;

/// <summary>
/// <c>probe</c>: a step type the test drives. Each try is recorded as it starts; <see cref="Behaviour"/>
/// decides what the try does (wait on a gate, wait for cancellation, return a value). Its output
/// <c>value</c> is what the behaviour returns (by default the step's name and try).
/// </summary>
internal sealed class ProbeStep(string name = "probe", bool cacheable = false) : IStepType
{
    public ConcurrentQueue<(string Step, long RunId, int Attempt)> Started { get; } = new();

    public Func<StepContext, CancellationToken, Task<string>> Behaviour { get; set; } = (c, _) => Task.FromResult($"{c.Step.Name}#{c.Attempt}");

    public string Name => name;

    public int Version => 1;

    public string Summary => "A step the test drives.";

    public bool Cacheable => cacheable;

    public IReadOnlyCollection<string> ParamScopes => [];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) =>
        [.. step.Inputs.Keys.Select(n => new StepPort(n, PipelineValueKind.Value, Required: false, AnyKind: true))];

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) => [new("value", PipelineValueKind.Value)];

    public void Validate(StepDefinition step)
    {
    }

    public Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([$"step:{context.Step.Name}"]);

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        Started.Enqueue((context.Step.Name, context.RunId, context.Attempt));
        var value = await Behaviour(context, cancellationToken);
        return new StepOutcome(new Dictionary<string, string> { ["value"] = value });
    }
}
