using Keel.Core.Pipelines;
using Keel.Core.Pipelines.Definition;

namespace Keel.Application.Pipelines;

/// <summary>A stored pipeline version, parsed and checked, with its steps in dependency order.</summary>
/// <param name="Stored">The pipeline version as stored.</param>
/// <param name="Definition">Its definition.</param>
/// <param name="Order">Its steps, each after its upstreams.</param>
public sealed record ParsedPipeline(Pipeline Stored, PipelineDefinition Definition, IReadOnlyList<StepDefinition> Order)
{
    /// <summary>The step of a name.</summary>
    /// <param name="name">The step's name.</param>
    public StepDefinition Step(string name) => Definition.Steps.First(s => s.Name == name);
}
