namespace Keel.Core.Backends;

/// <summary>
/// What a look at a metadata database found, without changing it (no migration): for <c>keel doctor</c>.
/// </summary>
/// <param name="Description">Where the database is, for messages: never a password.</param>
/// <param name="Exists">False when the database is not there yet (a SQLite file the first start creates).</param>
/// <param name="SchemaVersion">The newest schema migration applied; 0 for a database no Keel has opened.</param>
/// <param name="LatestSchemaVersion">The newest schema migration this build knows.</param>
/// <param name="ServerVersion">The database engine and its version, e.g. <c>PostgreSQL 16.4</c> or <c>SQLite 3.46.1</c>.</param>
public sealed record MetadataBackendProbe(string Description, bool Exists, int SchemaVersion, int LatestSchemaVersion, string ServerVersion);
