using Keel.Application.Pipelines;
using Keel.Pipelines.Steps;

namespace Keel.Pipelines;

/// <summary>The step types Keel ships, for composing a <see cref="StepTypeCatalog"/>.</summary>
public static class BuiltInSteps
{
    /// <summary>The types that need no services.</summary>
    public static IReadOnlyList<IStepType> Basic() => [new NoopStep()];

    /// <summary>Every built-in type, working with <paramref name="services"/>.</summary>
    /// <param name="services">What the types work with.</param>
    public static IReadOnlyList<IStepType> All(PipelineServices services) =>
    [
        .. Basic(),
        new ValidateStep(services),
        new ProfileStep(services),
        new TrainStep(services),
        new EvaluateStep(services),
        new BatchPredictStep(services),
        new DriftReportStep(services),
        new CommandStep(services),
        new RegisterStep(services),
        new DeployStep(services),
        new GateStep(services),
        new MaterializeStep(services),
    ];
}
