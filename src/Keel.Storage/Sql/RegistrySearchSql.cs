using Keel.Core.Errors;
using Keel.Core.Registry;
using Keel.Core.Search;

namespace Keel.Storage.Sql;

/// <summary>
/// Translates registered-model and model-version queries into one SELECT each. Ordered columns
/// sort NULL lowest (first ascending, last descending, SQLite's own order), so every backend pages alike.
/// </summary>
internal sealed class RegistrySearchSql(SqlDialect dialect)
{
    private readonly SqlBuilder _sql = new(dialect);

    public SqlBuilder Parameters => _sql;

    public string Build(RegisteredModelQuery query)
    {
        var where = query.Filter.Select(c => Predicate(c, "rm", "registered_model_tags t WHERE t.name = rm.name")).ToList();
        // MLflow's default and final tie-break: name ascending.
        var order = query.OrderBy.Select(o => dialect.OrderNullsLowest(ModelColumn(o.Key), o.Ascending)).Append("rm.name ASC");
        return $"SELECT {RegistryTables.ModelColumns} FROM registered_models rm {Where(where)} "
            + $"ORDER BY {string.Join(", ", order)} LIMIT {_sql.Add((long)query.MaxResults + 1)} OFFSET {_sql.Add((long)query.Offset)}";
    }

    public string Build(ModelVersionQuery query)
    {
        var where = query.Filter.Select(c => Predicate(c, "mv", "model_version_tags t WHERE t.name = mv.name AND t.version = mv.version")).ToList();
        var order = query.OrderBy.Select(o => dialect.OrderNullsLowest(VersionColumn(o.Key).Column, o.Ascending)).ToList();
        // MLflow's SQL store default: last_updated_timestamp DESC, name ASC, version_number DESC.
        if (order.Count == 0)
        {
            order.Add("mv.last_updated_timestamp DESC");
        }

        order.Add("mv.name ASC");
        order.Add("mv.version DESC");
        return $"SELECT {RegistryTables.VersionColumns} FROM model_versions mv {Where(where)} "
            + $"ORDER BY {string.Join(", ", order)} LIMIT {_sql.Add((long)query.MaxResults + 1)} OFFSET {_sql.Add((long)query.Offset)}";
    }

    private static string Where(List<string> predicates) => predicates.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", predicates);

    private string Predicate(Comparison c, string alias, string tagSource)
    {
        switch (c.Entity)
        {
            case SearchEntity.Attribute:
                return _sql.ColumnPredicate(alias == "rm" ? (ModelColumn(c.Key), false) : VersionColumn(c.Key), c);
            case SearchEntity.Tag:
                return _sql.TagPredicate(tagSource, c);
            default:
                throw SqlBuilder.Unsupported(c);
        }
    }

    private static string ModelColumn(string key) => key switch
    {
        "name" => "rm.name",
        "creation_timestamp" => "rm.creation_timestamp",
        "last_updated_timestamp" => "rm.last_updated_timestamp",
        _ => throw KeelException.InvalidParameter($"Invalid attribute key '{key}' specified. Valid keys are ['name']"),
    };

    private static (string Column, bool Numeric) VersionColumn(string key) => key switch
    {
        "name" => ("mv.name", false),
        "run_id" => ("mv.run_id", false),
        "source_path" => ("mv.source", false),
        "version_number" => ("mv.version", true),
        "creation_timestamp" => ("mv.creation_timestamp", true),
        "last_updated_timestamp" => ("mv.last_updated_timestamp", true),
        _ => throw KeelException.InvalidParameter(
            $"Invalid attribute key '{key}' specified. Valid keys are ['name', 'run_id', 'source_path', 'version_number']"),
    };
}
