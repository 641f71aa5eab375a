namespace Keel.Core.Pipelines;

/// <summary>One entry of the append-only feed of what happened to pipeline runs and their steps.</summary>
/// <param name="Seq">Increasing position in the feed.</param>
/// <param name="RunId">The run.</param>
/// <param name="Pipeline">The run's pipeline.</param>
/// <param name="Step">The step, or null for the run itself.</param>
/// <param name="State">The state reached (a run or step state name).</param>
/// <param name="Message">Why, when there is something to say (an error, a cache hit's source, a retry).</param>
/// <param name="At">When (Unix ms).</param>
public sealed record PipelineEvent(long Seq, long RunId, string Pipeline, string? Step, string State, string? Message, long At);
