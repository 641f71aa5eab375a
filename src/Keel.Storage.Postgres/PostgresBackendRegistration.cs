using Keel.Core.Backends;

namespace Keel.Storage.Postgres;

/// <summary>How this backend adds itself to a <see cref="BackendRegistry"/>.</summary>
public static class PostgresBackendRegistration
{
    /// <summary>Adds <c>postgresql://</c> (and <c>postgres://</c>) URIs as metadata backends.</summary>
    /// <param name="registry">The registry.</param>
    /// <returns>The registry, for chaining.</returns>
    public static BackendRegistry AddPostgres(this BackendRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(new PostgresBackendProvider());
    }
}
