using Keel.Core.Tracking;

namespace Keel.Application.Promptlab;

/// <summary>
/// What MLflow's prompt-engineering UI submits when the user saves a prompt experiment: the
/// template, its parameters, the gateway route and the model's answer to one input.
/// </summary>
public sealed record PromptlabRunRequest
{
    public string? ExperimentId { get; init; }

    public string? RunName { get; init; }

    public IReadOnlyList<Tag> Tags { get; init; } = [];

    public string? PromptTemplate { get; init; }

    public IReadOnlyList<Param>? PromptParameters { get; init; }

    public string? ModelRoute { get; init; }

    public IReadOnlyList<Param> ModelParameters { get; init; } = [];

    public string? ModelInput { get; init; }

    public string? ModelOutput { get; init; }

    public IReadOnlyList<Param> ModelOutputParameters { get; init; } = [];

    public string? MlflowVersion { get; init; }

    public string? UserId { get; init; }

    public long? StartTime { get; init; }
}
