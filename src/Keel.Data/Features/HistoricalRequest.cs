using Keel.Core.Features;

namespace Keel.Data.Features;

/// <summary>What to retrieve point in time (Feast's <c>get_historical_features</c>).</summary>
/// <param name="EntitiesPath">A CSV, Parquet or JSON Lines file (or folder) holding the join keys and the entity timestamp column.</param>
/// <param name="Features">The features, in output order, as <c>view:feature</c>.</param>
/// <param name="FullFeatureNames">Name the output columns <c>view__feature</c> rather than <c>feature</c>.</param>
/// <param name="EntityTimestampColumn">The entity file's time column.</param>
public sealed record HistoricalRequest(
    string EntitiesPath,
    IReadOnlyList<FeatureReference> Features,
    bool FullFeatureNames = false,
    string EntityTimestampColumn = HistoricalRequest.DefaultTimestampColumn)
{
    /// <summary>Feast's name for the entity rows' time column.</summary>
    public const string DefaultTimestampColumn = "event_timestamp";
}
