using Keel.Application.Pipelines;
using Keel.Pipelines.Steps;

namespace Keel.Pipelines;

/// <summary>The step types Keel ships, for composing a <see cref="StepTypeCatalog"/>.</summary>
public static class BuiltInSteps
{
    /// <summary>The types that need no services (more are added by the composition that has their dependencies).</summary>
    public static IReadOnlyList<IStepType> Basic() => [new NoopStep()];

    /// <summary>Every built-in type, working over <paramref name="services"/>.</summary>
    /// <param name="services">The stores and services the types use.</param>
    public static IReadOnlyList<IStepType> All(PipelineServices services) =>
    [
        .. Basic(),
        new ValidateStep(services),
        new ProfileStep(services),
        new TrainStep(services),
        new EvaluateStep(services),
        new BatchPredictStep(services),
        new DriftReportStep(services),
    ];
}
