using System.Data.Common;
using Keel.Core.Errors;
using Keel.Core.Registry;

namespace Keel.Storage.Sql;

/// <summary>
/// The registry tables as every backend lays them out: the column lists the searches and loaders
/// select, the mapping of a version row, and the not-found and already-exists errors worded as MLflow words them.
/// </summary>
internal static class RegistryTables
{
    /// <summary>The model-version columns <see cref="ReadVersion"/> maps, in order (alias <c>mv</c>).</summary>
    public const string VersionColumns =
        "mv.name, mv.version, mv.creation_timestamp, mv.last_updated_timestamp, mv.user_id, mv.current_stage, mv.description, mv.source, mv.run_id, mv.status, mv.status_message, mv.run_link, mv.storage_location";

    /// <summary>The registered-model columns <see cref="ReadModel"/> maps, in order (alias <c>rm</c>).</summary>
    public const string ModelColumns = "rm.name, rm.creation_timestamp, rm.last_updated_timestamp, rm.user_id, rm.description";

    public static KeelException ModelNotFound(string name) => KeelException.NotFound($"Registered Model with name={name} not found");

    public static KeelException VersionNotFound(string name, long version) =>
        KeelException.NotFound($"Model Version (name={name}, version={version}) not found");

    public static KeelException AliasNotFound(string alias) => KeelException.NotFound($"Registered model alias {alias} not found.");

    public static KeelException ModelExists(string name) => KeelException.AlreadyExists($"Registered Model (name={name}) already exists.");

    /// <summary>A model row without its versions, tags and aliases, which are loaded per page.</summary>
    public static ModelRow ReadModel(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), NullableString(reader, 3), NullableString(reader, 4));

    /// <summary>A version row with empty tags and aliases, which are loaded per page.</summary>
    public static ModelVersion ReadVersion(DbDataReader reader)
    {
        ModelStages.TryParse(reader.GetString(5), out var stage);
        ModelVersionStatuses.TryParse(reader.GetString(9), out var status);
        return new ModelVersion(
            reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), NullableString(reader, 4), stage,
            NullableString(reader, 6), reader.GetString(7), NullableString(reader, 8), status, NullableString(reader, 10), [],
            NullableString(reader, 11), [])
        {
            StorageLocation = NullableString(reader, 12),
        };
    }

    public static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
