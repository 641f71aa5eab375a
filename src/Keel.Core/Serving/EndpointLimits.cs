namespace Keel.Core.Serving;

/// <summary>Guard rails of one endpoint.</summary>
/// <param name="MaxConcurrency">Requests in flight beyond which the endpoint answers 429 with Retry-After.</param>
/// <param name="MaxBatchRows">Rows per request beyond which the endpoint answers 413.</param>
/// <param name="TimeoutMs">Time allowed to receive and score a request before it answers 504.</param>
public sealed record EndpointLimits(int MaxConcurrency = 256, int MaxBatchRows = 10_000, int TimeoutMs = 10_000)
{
    /// <summary>The defaults.</summary>
    public static EndpointLimits Default { get; } = new();
}
