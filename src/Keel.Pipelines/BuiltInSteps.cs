using Keel.Application.Pipelines;

namespace Keel.Pipelines;

/// <summary>The step types Keel ships, for composing a <see cref="StepTypeCatalog"/>.</summary>
public static class BuiltInSteps
{
    /// <summary>The types that need no services (more are added by the composition that has their dependencies).</summary>
    public static IReadOnlyList<IStepType> Basic() => [new NoopStep()];
}
