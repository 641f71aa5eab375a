using Keel.Core.Pipelines.Definition;

namespace Keel.Application.Pipelines;

/// <summary>An input or output a step type declares.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Kind">The kind of value.</param>
/// <param name="Required">For inputs: whether the step must be given it.</param>
/// <param name="Description">What it is, for help and plans.</param>
/// <param name="AnyKind">For inputs: takes a value of any kind (<c>command</c>).</param>
public sealed record StepPort(string Name, PipelineValueKind Kind, bool Required = true, string? Description = null, bool AnyKind = false);
