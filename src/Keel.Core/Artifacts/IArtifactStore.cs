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
    /// <summary>Writes (or replaces) a file from a stream, creating its directories; readers see the old file until the new one is complete.</summary>
    /// <param name="path">Store-relative file path.</param>
    /// <param name="content">The bytes, read to the end; not disposed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">INVALID_PARAMETER_VALUE for an unsafe path, the root, or a path under a file or onto a directory.</exception>
    Task WriteAsync(string path, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens a file for reading; the caller disposes the stream.</summary>
    /// <param name="path">Store-relative file path.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when no file is there; INVALID_PARAMETER_VALUE for an unsafe path.</exception>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the immediate children of a directory (paths are basenames). An unknown directory gives
    /// an empty list; a path naming a file gives that file alone.
    /// </summary>
    /// <param name="path">Store-relative directory (or file) path; null or empty for the root.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Entries sorted by name (ordinal).</returns>
    /// <exception cref="Errors.KeelException">INVALID_PARAMETER_VALUE for an unsafe path.</exception>
    Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? path, CancellationToken cancellationToken = default);

    /// <summary>Deletes a file or a directory tree; deleting nothing is not an error.</summary>
    /// <param name="path">Store-relative path of a file or directory.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">INVALID_PARAMETER_VALUE for an unsafe path or the root.</exception>
    Task DeleteAsync(string path, CancellationToken cancellationToken = default);
}
