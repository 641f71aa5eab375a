using Keel.Core.Backends;

namespace Keel.Cli.Commands.Doctor;

/// <summary>A database's schema version against the newest migration this build of Keel knows.</summary>
internal static class SchemaFinding
{
    /// <summary>Null when the schema is current or not created yet; else the status, the finding and the fix.</summary>
    public static (CheckStatus Status, string Finding, string Fix)? Problem(MetadataBackendProbe probe, string startCommand)
    {
        if (probe.SchemaVersion > probe.LatestSchemaVersion)
        {
            return (CheckStatus.Fail,
                $"{probe.Description} is at schema v{probe.SchemaVersion}, newer than this keel knows (v{probe.LatestSchemaVersion}): this keel is older than the database",
                "upgrade keel to the version that last opened the database (dotnet tool update --global keel), or point at another database");
        }

        if (probe.SchemaVersion > 0 && probe.SchemaVersion < probe.LatestSchemaVersion)
        {
            return (CheckStatus.Warn,
                $"{probe.Description} is at schema v{probe.SchemaVersion} of v{probe.LatestSchemaVersion}: the migrations run on the next start",
                $"nothing to do unless you want it now: `{startCommand}` migrates it (back it up first)");
        }

        return null;
    }

    /// <summary>The schema state in a few words, for an ok finding.</summary>
    public static string State(MetadataBackendProbe probe) =>
        !probe.Exists ? "no database yet (created on first use)"
        : probe.SchemaVersion == 0 ? "empty (Keel creates its tables on first start)"
        : $"schema v{probe.SchemaVersion} (latest)";

    public static Dictionary<string, object?> Details(MetadataBackendProbe probe) => new()
    {
        ["database"] = probe.Description,
        ["exists"] = probe.Exists,
        ["schema_version"] = probe.SchemaVersion,
        ["latest_schema_version"] = probe.LatestSchemaVersion,
        ["server_version"] = probe.ServerVersion,
    };
}
