namespace Keel.Data.Content;

/// <summary>One content-defined chunk of a file, in file order.</summary>
/// <param name="Digest">BLAKE3 of the chunk's bytes, 64 lowercase hex digits; the chunk's address in the store.</param>
/// <param name="Size">The chunk's length in bytes.</param>
public sealed record ManifestChunk(string Digest, int Size);
