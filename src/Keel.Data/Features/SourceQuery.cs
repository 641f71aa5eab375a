using Keel.Core.Features;

namespace Keel.Data.Features;

/// <summary>A view's source as a query with positional Keel columns (see <see cref="FeatureSourceSql"/>).</summary>
/// <param name="Source">The source read.</param>
/// <param name="Select">The SELECT statement.</param>
/// <param name="KeyTypes">The DuckDB type of each join key as stored in the source.</param>
/// <param name="HasCreated">Whether the source has a created-timestamp column (otherwise the created column is NULL).</param>
internal sealed record SourceQuery(FeatureSource Source, string Select, IReadOnlyList<string> KeyTypes, bool HasCreated);
