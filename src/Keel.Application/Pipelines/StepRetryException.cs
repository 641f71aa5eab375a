namespace Keel.Application.Pipelines;

/// <summary>A step try failed and the step waits for another; the job queue retries it after its backoff.</summary>
public sealed class StepRetryException(string message) : Exception(message);
