namespace Keel.Core.Pipelines;

/// <summary>A line a step wrote to its log.</summary>
/// <param name="Seq">Increasing position across all logs.</param>
/// <param name="RunId">The run.</param>
/// <param name="Step">The step.</param>
/// <param name="Attempt">The try that wrote it.</param>
/// <param name="At">When (Unix ms).</param>
/// <param name="Line">The text.</param>
public sealed record StepLogLine(long Seq, long RunId, string Step, int Attempt, long At, string Line);
