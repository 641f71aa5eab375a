namespace Keel.Core.Artifacts;

/// <summary>
/// The artifact port. Paths are relative to the store's root, '/'-separated, e.g.
/// <c>1/&lt;run_id&gt;/artifacts/model/MLmodel</c> (the part after <c>mlflow-artifacts:/</c>).
/// Paths are checked once above the port (<see cref="GuardedArtifactStore"/>, with the rule of
/// <see cref="ArtifactPath"/>); a store may re-check them defensively. A path that is absolute or escapes
/// the root raises INVALID_PARAMETER_VALUE. Writes are atomic per file: a reader sees the old file or
/// the whole new one, never a part (local files are renamed into place; S3's PUT and
/// CompleteMultipartUpload replace an object atomically). Content is streamed both ways: no store
/// holds a whole file in memory.
/// Implementations: local files (embedded default), S3, the REST client (mlflow-artifacts proxy).
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
    /// Opens part of a file (HTTP Range semantics, clipped to the file's size) and tells its size;
    /// <see cref="ArtifactRange.WholeFile"/> opens all of it with its length. A range past the end gives
    /// an unsatisfiable slice, not an error. The caller disposes the slice.
    /// </summary>
    /// <param name="path">Store-relative file path.</param>
    /// <param name="range">The bytes wanted.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when no file is there; INVALID_PARAMETER_VALUE for an unsafe path.</exception>
    Task<ArtifactSlice> OpenReadRangeAsync(string path, ArtifactRange range, CancellationToken cancellationToken = default);

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
