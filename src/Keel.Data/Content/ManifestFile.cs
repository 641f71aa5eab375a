namespace Keel.Data.Content;

/// <summary>One file of a dataset version.</summary>
/// <param name="Path">Relative path with '/' separators (the file name for a single-file dataset).</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="Digest">
/// The file's content digest, 64 lowercase hex digits: BLAKE3 over the file's size and its chunk
/// digests in order (see <see cref="FileDigest"/>). Equal content gives an equal digest on every
/// machine; it is computed in the same pass that finds and hashes the chunks, so no second hash of
/// the bytes is needed. It is not <c>b3sum</c> of the file.
/// </param>
/// <param name="Chunks">The chunks that make up the file, in order; empty for an empty file.</param>
public sealed record ManifestFile(string Path, long Size, string Digest, IReadOnlyList<ManifestChunk> Chunks);
