using DuckDB.NET.Data;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Data.Tables;

namespace Keel.Data.Features;

/// <summary>
/// Reads a view's source as a DuckDB query with Keel's names: the source's <c>field_mapping</c>
/// applied, the event and created times as UTC <c>TIMESTAMP</c>s and each feature cast to its dtype.
/// The columns come out positionally named (<c>{prefix}k0..</c> join keys in
/// <see cref="FeatureDefinitions.JoinKeysOf"/> order, <c>{prefix}ts</c>, <c>{prefix}created</c>,
/// <c>{prefix}f0..</c> features in the order asked) so they never clash with an entity file's columns.
/// </summary>
internal static class FeatureSourceSql
{
    /// <summary>
    /// The SELECT over the source of <paramref name="view"/> for <paramref name="features"/>; throws
    /// INVALID_PARAMETER_VALUE naming the source and the column when one is missing or unusable.
    /// </summary>
    public static async Task<SourceQuery> BuildAsync(
        DuckDBConnection connection,
        FeatureDefinitions definitions,
        FeatureView view,
        IReadOnlyList<FeatureField> features,
        string prefix,
        Func<string, CancellationToken, Task<string>>? resolvePath,
        CancellationToken ct)
    {
        var source = definitions.FindSource(view.Source)
            ?? throw KeelException.InvalidParameter($"Feature view '{view.Name}' reads source '{view.Source}', which is not defined.");
        var local = await LocalPathAsync(source, resolvePath, ct).ConfigureAwait(false);
        TableSource table;
        try
        {
            table = TableSource.Open(local);
        }
        catch (KeelException e)
        {
            throw KeelException.InvalidParameter($"Source '{source.Name}' ({source.Path}): {e.Message}");
        }

        var read = DuckTable.ReadFunction(table);
        var columns = await DescribeAsync(connection, $"SELECT * FROM {read}", source, ct).ConfigureAwait(false);
        var byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);

        // field_mapping is source column -> Keel name; a Keel name not mapped is the source column itself.
        var reverse = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (from, to) in source.FieldMapping ?? new Dictionary<string, string>())
        {
            reverse[to] = from;
        }

        TableColumn Column(string keelName, string role, bool lenient = false)
        {
            var name = reverse.TryGetValue(keelName, out var mapped) ? mapped : keelName;
            if (byName.TryGetValue(name, out var column))
            {
                return column;
            }

            // A timestamp field may be written with the source's own name even when it is mapped.
            if (lenient && byName.TryGetValue(keelName, out column))
            {
                return column;
            }

            var shown = name == keelName ? $"'{name}'" : $"'{name}' (mapped to '{keelName}')";
            throw KeelException.InvalidParameter(
                $"Source '{source.Name}' ({source.Path}) has no column {shown}, needed as {role} of feature view '{view.Name}'. Its columns: {string.Join(", ", columns.Select(c => c.Name))}.");
        }

        var keys = definitions.JoinKeysOf(view);
        var select = new List<string>();
        var keyTypes = new List<string>();
        for (var i = 0; i < keys.Count; i++)
        {
            var column = Column(keys[i], $"join key '{keys[i]}'");
            select.Add($"{Sql.Ident(column.Name)} AS {prefix}k{i}");
            keyTypes.Add(column.DuckType);
        }

        var ts = Column(source.TimestampField, "timestamp_field", lenient: true);
        select.Add($"{TimestampSql.ToUtc(Sql.Ident(ts.Name), ts.DuckType, () => Unusable(source, view, ts, "timestamp_field"))} AS {prefix}ts");
        if (source.CreatedTimestampColumn is { Length: > 0 } createdName)
        {
            var created = Column(createdName, "created_timestamp_column", lenient: true);
            select.Add($"{TimestampSql.ToUtc(Sql.Ident(created.Name), created.DuckType, () => Unusable(source, view, created, "created_timestamp_column"))} AS {prefix}created");
        }
        else
        {
            select.Add($"NULL::TIMESTAMP AS {prefix}created");
        }

        for (var i = 0; i < features.Count; i++)
        {
            var column = Column(features[i].Name, $"feature '{features[i].Name}'");
            select.Add($"{Cast(Sql.Ident(column.Name), column, features[i].Dtype, source, view)} AS {prefix}f{i}");
        }

        return new SourceQuery(
            source,
            $"SELECT {string.Join(", ", select)} FROM {read}",
            keyTypes,
            source.CreatedTimestampColumn is { Length: > 0 });
    }

    /// <summary>The DuckDB type a dtype is carried as offline.</summary>
    public static string DuckTypeOf(FeatureDtype dtype) => dtype switch
    {
        FeatureDtype.Int32 => "INTEGER",
        FeatureDtype.Int64 => "BIGINT",
        FeatureDtype.Float32 => "FLOAT",
        FeatureDtype.Float64 => "DOUBLE",
        FeatureDtype.Bool => "BOOLEAN",
        FeatureDtype.UnixTimestamp => "TIMESTAMP",
        _ => "VARCHAR",
    };

    /// <summary>Column names and DuckDB types of a query, without running it.</summary>
    public static async Task<List<TableColumn>> DescribeAsync(DuckDBConnection connection, string query, FeatureSource? source, CancellationToken ct)
    {
        var columns = new List<TableColumn>();
        try
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "DESCRIBE " + query;
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                columns.Add(new TableColumn(reader.GetString(0), reader.GetString(1)));
            }
        }
        catch (DuckDBException e) when (source is not null)
        {
            throw KeelException.InvalidParameter($"Source '{source.Name}' ({source.Path}) cannot be read: {FirstLine(e.Message)}");
        }

        return columns;
    }

    /// <summary>
    /// The local path of a source: itself when it is a file path; otherwise (a dataset URI or any
    /// <c>scheme:</c> address) what <paramref name="resolvePath"/> checks it out to.
    /// </summary>
    public static async Task<string> LocalPathAsync(FeatureSource source, Func<string, CancellationToken, Task<string>>? resolvePath, CancellationToken ct)
    {
        if (!IsUri(source.Path))
        {
            return source.Path;
        }

        if (resolvePath is null)
        {
            throw KeelException.InvalidParameter($"Source '{source.Name}' reads '{source.Path}', which is not a local path, and nothing was given to resolve it.");
        }

        return await resolvePath(source.Path, ct).ConfigureAwait(false);
    }

    public static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline];
    }

    private static bool IsUri(string path)
    {
        var colon = path.IndexOf(':', StringComparison.Ordinal);

        // "C:\..." is a Windows drive, not a scheme.
        return colon > 1 && path[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
    }

    private static string Cast(string expression, TableColumn column, FeatureDtype dtype, FeatureSource source, FeatureView view)
    {
        if (dtype == FeatureDtype.UnixTimestamp)
        {
            return TimestampSql.ToUtc(expression, column.DuckType, () => Unusable(source, view, column, $"feature '{column.Name}' (UnixTimestamp)"));
        }

        var target = DuckTypeOf(dtype);
        return string.Equals(column.DuckType, target, StringComparison.OrdinalIgnoreCase) ? expression : $"CAST({expression} AS {target})";
    }

    private static KeelException Unusable(FeatureSource source, FeatureView view, TableColumn column, string role) =>
        KeelException.InvalidParameter(
            $"Source '{source.Name}' ({source.Path}) column '{column.Name}' is {column.DuckType}, which cannot be read as the {role} of feature view '{view.Name}': expected a TIMESTAMP, TIMESTAMPTZ, DATE, ISO-8601 text or epoch seconds/milliseconds.");
}
