namespace Keel.Data.Content;

/// <summary>A file cut and hashed in memory: its bytes and, per chunk, digest, offset and length.</summary>
internal sealed record ChunkedFile(byte[] Data, int Length, ContentHash[] Chunks, int[] Offsets, int[] Sizes);
