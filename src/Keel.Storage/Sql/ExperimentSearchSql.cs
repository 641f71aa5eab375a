using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Search;

namespace Keel.Storage.Sql;

/// <summary>Translates an <see cref="ExperimentQuery"/> into one SELECT over experiments.</summary>
internal sealed class ExperimentSearchSql(SqlDialect dialect)
{
    public const string ExperimentColumns =
        "e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time, e.last_update_time";

    private readonly SqlBuilder _sql = new(dialect);

    public SqlBuilder Parameters => _sql;

    public string Build(ExperimentQuery query)
    {
        var where = new List<string> { _sql.StagePredicate("e.lifecycle_stage", query.ViewType) };
        where.AddRange(query.Filter.Select(Predicate));

        var order = new List<string>();
        if (query.OrderBy.Count == 0)
        {
            order.Add("e.creation_time DESC");
        }

        foreach (var item in query.OrderBy)
        {
            if (item.Entity != SearchEntity.Attribute)
            {
                throw KeelException.InvalidParameter($"Cannot order experiments by {item.Entity} '{item.Key}'.");
            }

            order.Add($"{Column(item.Key).Column} {(item.Ascending ? "ASC" : "DESC")}");
        }

        order.Add("e.experiment_id ASC");
        return $"SELECT {ExperimentColumns} FROM experiments e WHERE {string.Join(" AND ", where)} "
            + $"ORDER BY {string.Join(", ", order)} LIMIT {_sql.Add((long)query.MaxResults + 1)} OFFSET {_sql.Add((long)query.Offset)}";
    }

    private string Predicate(Comparison c)
    {
        switch (c.Entity)
        {
            case SearchEntity.Attribute:
                return _sql.ColumnPredicate(Column(c.Key), c);
            case SearchEntity.Tag:
                return _sql.TagPredicate("experiment_tags t WHERE t.experiment_id = e.experiment_id", c);
            default:
                throw SqlBuilder.Unsupported(c);
        }
    }

    private static (string Column, bool Numeric) Column(string key) => key switch
    {
        "name" => ("e.name", false),
        "experiment_id" => ("e.experiment_id", true),
        "creation_time" => ("e.creation_time", true),
        "last_update_time" => ("e.last_update_time", true),
        _ => throw KeelException.InvalidParameter(
            string.Create(CultureInfo.InvariantCulture, $"Invalid attribute key '{key}' specified. Valid keys are name, creation_time, last_update_time.")),
    };
}
