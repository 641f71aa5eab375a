using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Tracking;

namespace Keel.Storage.Postgres;

/// <summary>
/// The tracking store on PostgreSQL. Unlike SQLite there is no single writer: transactions run
/// concurrently, so each read-modify-write locks the row it decides on (FOR UPDATE / FOR SHARE),
/// hot multi-row writes go in a fixed order so concurrent batches cannot deadlock, and a
/// serialization failure or deadlock is retried by <see cref="PostgresDatabase"/>.
/// </summary>
public sealed partial class PostgresTrackingStore : ITrackingStore, IDisposable
{
    private readonly PostgresDatabase _db;
    private readonly bool _ownsDatabase;
    private readonly string _defaultArtifactRoot;

    /// <summary>A store on a database opened (and disposed) by the caller, shared with other stores.</summary>
    /// <param name="database">The open database.</param>
    /// <param name="defaultArtifactRoot">Where new experiments put artifacts (<c>&lt;root&gt;/&lt;id&gt;</c>).</param>
    public PostgresTrackingStore(PostgresDatabase database, string defaultArtifactRoot = ArtifactUri.ProxyRoot)
        : this(database, defaultArtifactRoot, ownsDatabase: false)
    {
    }

    /// <summary>A store that opens (and on dispose closes) its own database.</summary>
    /// <param name="uri">A <c>postgresql://</c> backend store URI.</param>
    /// <param name="defaultArtifactRoot">Where new experiments put artifacts (<c>&lt;root&gt;/&lt;id&gt;</c>).</param>
    public PostgresTrackingStore(string uri, string defaultArtifactRoot = ArtifactUri.ProxyRoot)
        : this(PostgresDatabase.Open(uri, defaultArtifactRoot), defaultArtifactRoot, ownsDatabase: true)
    {
    }

    private PostgresTrackingStore(PostgresDatabase database, string defaultArtifactRoot, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
        _defaultArtifactRoot = defaultArtifactRoot;
        _ownsDatabase = ownsDatabase;
    }

    /// <summary>How log-batch writes metric points (plain INSERT from arrays: least CPU end to end, docs/benchmarks.md); tests pin each.</summary>
    internal MetricWriteMode MetricWrites { get; set; } = MetricWriteMode.Insert;

    public void Dispose()
    {
        if (_ownsDatabase)
        {
            _db.Dispose();
        }
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private Task<T> WriteAsync<T>(Func<PgDb, Task<T>> work, CancellationToken cancellationToken) => _db.WriteAsync(work, cancellationToken);

    private Task WriteAsync(Func<PgDb, Task> work, CancellationToken cancellationToken) =>
        _db.WriteAsync(async db =>
        {
            await work(db).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private Task<T> ReadAsync<T>(Func<PgDb, Task<T>> work, CancellationToken cancellationToken) => _db.ReadAsync(work, cancellationToken);

    private static KeelException RunNotFound(string runId) => KeelException.NotFound($"Run with id={runId} not found");

    private static KeelException ExperimentNotFound(string experimentId) => KeelException.NotFound($"No Experiment with id={experimentId} exists");

    private static KeelException ExperimentExists(string name) => KeelException.AlreadyExists($"Experiment(name={name}) already exists.");
}
