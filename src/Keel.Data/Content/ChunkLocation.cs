namespace Keel.Data.Content;

/// <summary>Where a chunk is stored: a pack (by its index in <see cref="ChunkIndex"/>'s pack list), an offset and a length.</summary>
internal readonly record struct ChunkLocation(int Pack, long Offset, int Length);
