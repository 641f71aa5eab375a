namespace Keel.Core.Backends;

/// <summary>
/// A metadata backend technology (SQLite, PostgreSQL): the URI schemes it answers and how it opens
/// them. Each backend project provides one and adds it to a <see cref="BackendRegistry"/>.
/// </summary>
public interface IMetadataBackendProvider
{
    /// <summary>The URI schemes it opens, lower case, without <c>://</c> (a <c>scheme+driver</c> form such as <c>postgresql+psycopg2</c> matches <c>postgresql</c>).</summary>
    IReadOnlyList<string> Schemes { get; }

    /// <summary>The URI form for messages, e.g. <c>sqlite:///&lt;absolute path&gt;</c>.</summary>
    string Form { get; }

    /// <summary>True when a plain file path (no scheme) means this backend.</summary>
    bool OpensPlainPaths { get; }

    /// <summary>Checks the URI and its options and opens (migrating when needed) every store on it.</summary>
    /// <param name="settings">The URI, the option it came from, the default artifact root.</param>
    /// <exception cref="Errors.KeelException">INVALID_PARAMETER_VALUE naming the option and the rule; TEMPORARILY_UNAVAILABLE when the database cannot be reached.</exception>
    IMetadataBackend Open(MetadataBackendSettings settings);

    /// <summary>
    /// Connects and reads the schema version without changing anything (no migration, no file
    /// created), for <c>keel doctor</c>.
    /// </summary>
    /// <param name="settings">The URI and the option it came from.</param>
    /// <param name="timeout">How long to wait for the database to answer.</param>
    /// <param name="cancellationToken">Cancels the look.</param>
    /// <exception cref="Errors.KeelException">INVALID_PARAMETER_VALUE naming the option and the rule; TEMPORARILY_UNAVAILABLE when the database cannot be reached or refuses the credentials.</exception>
    Task<MetadataBackendProbe> ProbeAsync(MetadataBackendSettings settings, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The URI with any password replaced, for messages and logs.</summary>
    /// <param name="uri">A URI this provider opens.</param>
    string Redact(string uri) => uri;
}
