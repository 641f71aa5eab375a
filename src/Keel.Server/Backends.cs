using Keel.Artifacts;
using Keel.Core.Artifacts;
using Keel.Core.Jobs;
using Keel.Core.Registry;
using Keel.Core.Serving;
using Keel.Core.Tracking;
using Keel.Storage.Postgres;
using Keel.Storage.Sqlite;

namespace Keel.Server;

/// <summary>
/// The one place where a backend URI becomes a store, shared by the server and the CLI. Unknown
/// schemes fail at startup with the option's name, never at the first request.
/// </summary>
public static class Backends
{
    private const string SqliteScheme = "sqlite:///";

    /// <summary>Artifact root that new experiments get, so clients proxy artifacts through this server.</summary>
    public const string ProxiedArtifactRoot = ArtifactUri.ProxyRoot;

    /// <param name="uri">The backend store URI.</param>
    /// <param name="defaultArtifactRoot">Where new experiments put artifacts (<c>&lt;root&gt;/&lt;id&gt;</c>); already checked.</param>
    public static ITrackingStore OpenTrackingStore(string uri, string defaultArtifactRoot = ProxiedArtifactRoot) =>
        PostgresUri.IsPostgres(uri) ? new PostgresTrackingStore(uri, defaultArtifactRoot) : new SqliteTrackingStore(SqlitePath(uri), defaultArtifactRoot);

    /// <summary>The registry lives in the same database as tracking, so it takes the same URI.</summary>
    public static IModelRegistryStore OpenRegistryStore(string uri) =>
        PostgresUri.IsPostgres(uri) ? new PostgresModelRegistryStore(uri) : new SqliteModelRegistryStore(SqlitePath(uri));

    /// <summary>Serving endpoints live in the same database as tracking, so they take the same URI.</summary>
    public static IServingStore OpenServingStore(string uri) =>
        PostgresUri.IsPostgres(uri) ? new PostgresServingStore(uri) : new SqliteServingStore(SqlitePath(uri));

    /// <summary>The job queue lives in the same database as tracking, so it takes the same URI.</summary>
    public static IJobQueue OpenJobQueue(string uri) =>
        PostgresUri.IsPostgres(uri) ? new PostgresJobQueue(uri) : new SqliteJobQueue(SqlitePath(uri));

    private static string SqlitePath(string uri)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        string path;
        if (uri.StartsWith(SqliteScheme, StringComparison.OrdinalIgnoreCase))
        {
            path = AbsoluteFromUriPath(uri[SqliteScheme.Length..]);
        }
        else if (!HasScheme(uri))
        {
            path = uri;
        }
        else
        {
            throw new ArgumentException(
                $"Unsupported backend store URI '{PostgresUri.Redact(uri)}' (--backend-store-uri / BackendStoreUri): expected sqlite:///<absolute path>, postgresql://user:password@host:port/database or a file path.", nameof(uri));
        }

        path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>
    /// The artifact store for <paramref name="uri"/> (<c>file://</c>, a directory, or <c>s3://bucket/prefix</c>
    /// with MLFLOW_S3_ENDPOINT_URL and AWS_* from the environment), behind the path guard every caller goes through.
    /// </summary>
    public static IArtifactStore OpenArtifactStore(string uri)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        if (uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            return GuardedArtifactStore.Wrap(OpenS3(uri));
        }

        var location = ArtifactUri.Parse(uri);
        return location.Kind == ArtifactUriKind.Local
            ? GuardedArtifactStore.Wrap(new LocalArtifactStore(Path.GetFullPath(location.LocalPath!)))
            : throw new ArgumentException(
                $"Unsupported artifacts destination '{uri}' (--artifacts-destination / ArtifactsDestination): expected file:///<absolute path>, a directory path or s3://<bucket>/<prefix>.", nameof(uri));
    }

    // Its own method so the AWS SDK assemblies load only when an s3:// destination is opened.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IArtifactStore OpenS3(string uri) => Keel.Artifacts.S3.S3ArtifactStore.Open(uri, "--artifacts-destination");

    /// <summary>'/abs', '//abs' and 'C:/x' (after the scheme) all name absolute paths.</summary>
    private static string AbsoluteFromUriPath(string rest)
    {
        if (rest.Length >= 2 && rest[1] == ':' && char.IsAsciiLetter(rest[0]))
        {
            return rest;
        }

        if (rest.Length >= 3 && rest[0] == '/' && rest[2] == ':' && char.IsAsciiLetter(rest[1]))
        {
            return rest[1..];
        }

        return "/" + rest.TrimStart('/');
    }

    // A Windows drive path such as C:\data has a "scheme" of one letter; it is a path.
    private static bool HasScheme(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 1 && value[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
    }
}
