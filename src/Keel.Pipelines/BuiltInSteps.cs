using Keel.Application.Pipelines;

namespace Keel.Pipelines;

/// <summary>The step types Keel ships, for composing a <see cref="StepTypeCatalog"/>.</summary>
public static class BuiltInSteps
{
    /// <summary>The types that need no services.</summary>
    public static IReadOnlyList<IStepType> Basic() => [new NoopStep()];

    /// <summary>Every built-in type over <paramref name="services"/>.</summary>
    /// <param name="services">What the types work with.</param>
    public static IReadOnlyList<IStepType> All(PipelineServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        List<IStepType> types = [.. Basic()];
        return types;
    }
}
