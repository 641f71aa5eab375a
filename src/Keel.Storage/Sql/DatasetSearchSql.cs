namespace Keel.Storage.Sql;

/// <summary>
/// Translates a dataset search (the distinct datasets of some experiments, each with its
/// mlflow.data.context) into one SELECT. A dataset without a context sorts before its contexts.
/// </summary>
internal sealed class DatasetSearchSql(SqlDialect dialect)
{
    /// <summary>The columns <see cref="TrackingRows.ReadDatasetSummary"/> maps, in order.</summary>
    public const string Columns = "d.experiment_id, d.name, d.digest, t.value";

    private readonly SqlBuilder _sql = new(dialect);

    public SqlBuilder Parameters => _sql;

    /// <summary>The query, or null when nothing can match (no integer experiment id, or no rows wanted).</summary>
    public string? Build(IReadOnlyList<string> experimentIds, int maxResults)
    {
        var ids = SqlBuilder.ParseIds(experimentIds);
        if (ids.Length == 0 || maxResults <= 0)
        {
            return null;
        }

        return $"""
            SELECT DISTINCT {Columns}
            FROM datasets d
            JOIN inputs i ON i.dataset_key = d.dataset_key
            LEFT JOIN input_tags t ON t.input_key = i.input_key AND t.key = 'mlflow.data.context'
            WHERE {dialect.InIntegers(_sql, "d.experiment_id", ids)}
            ORDER BY d.experiment_id, d.name, d.digest, {dialect.OrderNullsLowest("t.value", ascending: true)}
            LIMIT {_sql.Add((long)maxResults)}
            """;
    }
}
