using Keel.Core.Backends;

namespace Keel.Storage.Sqlite;

/// <summary>How this backend adds itself to a <see cref="BackendRegistry"/>.</summary>
public static class SqliteBackendRegistration
{
    /// <summary>Adds <c>sqlite:///</c> URIs and plain file paths as metadata backends.</summary>
    /// <param name="registry">The registry.</param>
    /// <returns>The registry, for chaining.</returns>
    public static BackendRegistry AddSqlite(this BackendRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new SqliteBackendProvider());
    }
}
