using System.Text.Json;
using Keel.Storage.Records;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite.Schema;

/// <summary>
/// Migration 5: rewrites every stored endpoint (and endpoint event snapshot) and every registry
/// event snapshot from the API's JSON shape to its versioned storage shape, inside the migration's
/// transaction. A row that already carries a schema version is left as it is.
/// </summary>
internal static class StorageShapeConversion
{
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction)
    {
        Rewrite(connection, transaction, "serving_endpoints", "name", "spec", ConvertEndpoint);
        Rewrite(connection, transaction, "serving_events", "id", "snapshot", ConvertEndpoint);
        Rewrite(connection, transaction, "registry_events", "id", "before", ConvertSnapshot);
        Rewrite(connection, transaction, "registry_events", "id", "after", ConvertSnapshot);
    }

    private static string ConvertEndpoint(string json) =>
        HasSchemaVersion(json) ? json : JsonSerializer.Serialize(LegacyDocuments.Endpoint(json), StorageJson.Default.EndpointRecord);

    private static string ConvertSnapshot(string json) =>
        HasSchemaVersion(json) ? json : JsonSerializer.Serialize(LegacyDocuments.RegistrySnapshot(json), StorageJson.Default.RegistrySnapshotRecord);

    private static bool HasSchemaVersion(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("v", out _);
    }

    private static void Rewrite(SqliteConnection connection, SqliteTransaction transaction, string table, string key, string column, Func<string, string> convert)
    {
        var rows = new List<(object Key, string Value)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = $"SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((reader.GetValue(0), reader.GetString(1)));
            }
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = $"UPDATE {table} SET {column} = $value WHERE {key} = $key";
        var value = update.Parameters.Add("$value", SqliteType.Text);
        var keyParameter = update.Parameters.Add("$key", rows.Count > 0 && rows[0].Key is long ? SqliteType.Integer : SqliteType.Text);
        foreach (var row in rows)
        {
            value.Value = convert(row.Value);
            keyParameter.Value = row.Key;
            update.ExecuteNonQuery();
        }
    }
}
