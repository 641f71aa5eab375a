using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Search;

namespace Keel.Storage.Sql;

/// <summary>
/// Translates a <see cref="RunQuery"/> into one SELECT over runs. Metric terms compare the latest
/// value; every entity term is an EXISTS sub-query, so a run lacking the key never matches (not
/// even <c>!=</c>). Order-by keys are LEFT JOINs so missing values can be placed last; a metric's
/// NaN sorts after numbers ascending and before them descending, as MLflow does.
/// </summary>
internal sealed class RunSearchSql(SqlDialect dialect)
{
    public const string RunColumns =
        "r.run_key, r.run_id, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage";

    private readonly SqlBuilder _sql = new(dialect);

    public SqlBuilder Parameters => _sql;

    public string Build(RunQuery query)
    {
        var joins = new List<string>();
        var orderTerms = new List<string>();
        for (var i = 0; i < query.OrderBy.Count; i++)
        {
            AddOrder(query.OrderBy[i], i, joins, orderTerms);
        }

        orderTerms.Add("r.start_time DESC");
        orderTerms.Add("r.run_id ASC");

        var where = new List<string> { _sql.IdPredicate("r.experiment_id", query.ExperimentIds), _sql.StagePredicate("r.lifecycle_stage", query.ViewType) };
        where.AddRange(query.Filter.Select(Predicate));

        return $"SELECT {RunColumns} FROM runs r {string.Join(" ", joins)} WHERE {string.Join(" AND ", where)} "
            + $"ORDER BY {string.Join(", ", orderTerms)} LIMIT {_sql.Add((long)query.MaxResults + 1)} OFFSET {_sql.Add((long)query.Offset)}";
    }

    private string Predicate(Comparison c) => c.Entity switch
    {
        SearchEntity.Metric => MetricPredicate(c),
        SearchEntity.Param => _sql.TagPredicate("params t WHERE t.run_key = r.run_key", c),
        SearchEntity.Tag => _sql.TagPredicate("tags t WHERE t.run_key = r.run_key", c),
        SearchEntity.Attribute => _sql.ColumnPredicate(AttributeColumn(c.Key), c),
        SearchEntity.Dataset => DatasetPredicate(c),
        _ => throw SqlBuilder.Unsupported(c),
    };

    private string MetricPredicate(Comparison c)
    {
        var key = _sql.Add(c.Key);
        var condition = c.Op switch
        {
            Comparator.IsNull => null,
            Comparator.IsNotNull => dialect.True,
            // NaN is unequal to everything and neither less nor greater than anything (in MLflow;
            // an engine may order NaN above every number, hence the explicit exclusions).
            Comparator.NotEqual => $"({dialect.LatestMetricIsNaN} OR m.value <> {_sql.Add(c.NumberValue)})",
            _ => $"{dialect.LatestMetricIsNumber} AND {_sql.NumberPredicate("m.value", c)}",
        };
        var exists = $"EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_key = r.run_key AND m.key = {key}";
        return condition is null ? $"NOT {exists})" : $"{exists} AND {condition})";
    }

    private string DatasetPredicate(Comparison c) => c.Key switch
    {
        "name" or "digest" =>
            $"EXISTS (SELECT 1 FROM inputs i JOIN datasets d ON d.dataset_key = i.dataset_key WHERE i.run_key = r.run_key AND {_sql.StringPredicate("d." + c.Key, c)})",
        "context" =>
            "EXISTS (SELECT 1 FROM inputs i JOIN input_tags t ON t.input_key = i.input_key AND t.key = 'mlflow.data.context' "
            + $"WHERE i.run_key = r.run_key AND {_sql.StringPredicate("t.value", c)})",
        _ => throw KeelException.InvalidParameter($"Invalid dataset key '{c.Key}'. Valid keys are name, digest and context."),
    };

    private void AddOrder(OrderBy order, int index, List<string> joins, List<string> terms)
    {
        var direction = order.Ascending ? "ASC" : "DESC";
        var alias = "o" + index.ToString(CultureInfo.InvariantCulture);
        switch (order.Entity)
        {
            case SearchEntity.Metric:
                joins.Add($"LEFT JOIN latest_metrics {alias} ON {alias}.run_key = r.run_key AND {alias}.key = {_sql.Add(order.Key)}");
                // Missing last in both directions; NaN after numbers ascending, before them descending.
                terms.Add($"({alias}.run_key IS NULL) ASC");
                dialect.AddMetricNaNOrder(terms, alias, direction);
                terms.Add($"{alias}.value {direction}");
                break;
            case SearchEntity.Param or SearchEntity.Tag:
                var table = order.Entity == SearchEntity.Param ? "params" : "tags";
                joins.Add($"LEFT JOIN {table} {alias} ON {alias}.run_key = r.run_key AND {alias}.key = {_sql.Add(order.Key)}");
                terms.Add($"({alias}.value IS NULL) ASC");
                terms.Add($"{alias}.value {direction}");
                break;
            case SearchEntity.Attribute:
                var (column, _) = AttributeColumn(order.Key);
                terms.Add($"({column} IS NULL) ASC");
                terms.Add($"{column} {direction}");
                break;
            default:
                throw KeelException.InvalidParameter($"Cannot order runs by {order.Entity} '{order.Key}'.");
        }
    }

    private static (string Column, bool Numeric) AttributeColumn(string key) => key switch
    {
        "run_id" => ("r.run_id", false),
        "run_name" => ("r.name", false),
        "status" => ("r.status", false),
        "user_id" => ("r.user_id", false),
        "artifact_uri" => ("r.artifact_uri", false),
        "lifecycle_stage" => ("r.lifecycle_stage", false),
        "start_time" => ("r.start_time", true),
        "end_time" => ("r.end_time", true),
        "experiment_id" => ("r.experiment_id", true),
        _ => throw KeelException.InvalidParameter($"Invalid attribute key '{key}' specified."),
    };
}
