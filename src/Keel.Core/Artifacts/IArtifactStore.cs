namespace Keel.Core.Artifacts;

/// <summary>
/// The artifact port. Paths are relative to the store's root, '/'-separated, e.g.
/// <c>1/&lt;run_id&gt;/artifacts/model/MLmodel</c> (the part after <c>mlflow-artifacts:/</c>).
/// A path that is absolute or escapes the root raises INVALID_PARAMETER_VALUE. Writes are atomic:
/// a reader sees the old file or the whole new one, never a part. Content is streamed.
/// Implementations: local files (embedded default), S3 (later), the REST client (mlflow-artifacts proxy).
/// </summary>
public interface IArtifactStore
{
    /// <summary>Writes (or replaces) a file from a stream.</summary>
    Task WriteAsync(string path, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens a file for reading, or raises RESOURCE_DOES_NOT_EXIST.</summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the immediate children of a directory (paths are basenames). An unknown directory gives
    /// an empty list; a path naming a file gives that file alone.
    /// </summary>
    Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? path, CancellationToken cancellationToken = default);

    /// <summary>Deletes a file or a directory tree; deleting nothing is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken = default);
}
