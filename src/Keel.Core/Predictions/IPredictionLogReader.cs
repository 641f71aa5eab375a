namespace Keel.Core.Predictions;

/// <summary>
/// The read side of the prediction log (monitoring and label joins read through it): the records of
/// one endpoint over a time range, from every replica that wrote to the same location.
/// </summary>
public interface IPredictionLogReader
{
    /// <summary>
    /// Streams the records of <paramref name="endpoint"/> scored at or after <paramref name="from"/>
    /// and before <paramref name="to"/>, each once, grouped by day or hour but in no other order.
    /// An endpoint without records gives nothing; so does an empty range.
    /// </summary>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <param name="from">Start of the range, inclusive.</param>
    /// <param name="to">End of the range, exclusive.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    IAsyncEnumerable<PredictionLogRecord> ReadAsync(string endpoint, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
