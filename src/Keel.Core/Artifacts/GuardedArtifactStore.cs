using Keel.Core.Errors;

namespace Keel.Core.Artifacts;

/// <summary>
/// Path safety above the port: every path is checked and normalised by <see cref="ArtifactPath"/>
/// (one rule, MLflow's "Invalid path") before any store sees it, and the root is refused where a
/// file is meant or a delete would wipe the store. Every backend is composed behind it, so local
/// files, S3 and the HTTP client refuse the same paths with the same error.
/// </summary>
public sealed class GuardedArtifactStore : IArtifactStore
{
    private GuardedArtifactStore(IArtifactStore inner) => Inner = inner;

    /// <summary>The store behind the guard, e.g. to reach a backend's own operations.</summary>
    public IArtifactStore Inner { get; }

    /// <summary>Puts <paramref name="store"/> behind the guard; a store already guarded is returned as is.</summary>
    public static GuardedArtifactStore Wrap(IArtifactStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store as GuardedArtifactStore ?? new GuardedArtifactStore(store);
    }

    /// <summary>The backend behind any number of guards (the store itself when unguarded).</summary>
    public static IArtifactStore Unwrap(IArtifactStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        while (store is GuardedArtifactStore guarded)
        {
            store = guarded.Inner;
        }

        return store;
    }

    /// <inheritdoc/>
    public Task WriteAsync(string path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Inner.WriteAsync(FilePath(path), content, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
        Inner.OpenReadAsync(FilePath(path), cancellationToken);

    /// <inheritdoc/>
    public Task<ArtifactSlice> OpenReadRangeAsync(string path, ArtifactRange range, CancellationToken cancellationToken = default) =>
        Inner.OpenReadRangeAsync(FilePath(path), range, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? path, CancellationToken cancellationToken = default) =>
        Inner.ListAsync(ArtifactPath.Normalize(path), cancellationToken);

    /// <inheritdoc/>
    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var clean = ArtifactPath.Normalize(path);
        return clean.Length == 0
            // Deleting the whole store through an empty path is never what a caller means.
            ? throw KeelException.InvalidParameter("Invalid path: the artifact root cannot be deleted")
            : Inner.DeleteAsync(clean, cancellationToken);
    }

    /// <summary>The normalised path of a file, or INVALID_PARAMETER_VALUE for an unsafe one or the root.</summary>
    public static string FilePath(string? path)
    {
        var clean = ArtifactPath.Normalize(path);
        return clean.Length == 0
            ? throw KeelException.InvalidParameter("Invalid path: an artifact path must name a file")
            : clean;
    }
}
