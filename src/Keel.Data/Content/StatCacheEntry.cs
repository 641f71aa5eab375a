namespace Keel.Data.Content;

/// <summary>What the stat cache remembers of a file it hashed: its digest and chunk list.</summary>
internal sealed record StatCacheEntry(ContentHash Digest, ContentHash[] Chunks, int[] ChunkSizes);
