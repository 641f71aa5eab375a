using Keel.Core.Serving;
using Keel.ML.Data;

namespace Keel.Serving;

/// <summary>
/// Adds an endpoint's declared features (<see cref="Endpoint.Features"/>) to a request batch before
/// the model sees it: for each row, the online values of the views' features for the entity keys
/// the row carries, under the same TTL rule as offline retrieval (an expired value is missing).
/// </summary>
public interface IFeatureEnricher
{
    /// <summary>The batch with one column added per feature (named <c>feature</c> or <c>view__feature</c>).</summary>
    /// <param name="endpoint">The endpoint, for messages.</param>
    /// <param name="features">What it declares.</param>
    /// <param name="batch">The request's rows; they must carry the views' join keys.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="Core.Errors.KeelException">INVALID_PARAMETER_VALUE naming a missing join-key column or an unknown feature.</exception>
    ValueTask<ColumnBatch> EnrichAsync(string endpoint, EndpointFeatures features, ColumnBatch batch, CancellationToken cancellationToken);
}
