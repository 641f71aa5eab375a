using System.Buffers.Binary;
using System.Text;

namespace Keel.Data.Content;

/// <summary>
/// The digest of a file from its chunk list: BLAKE3 of a domain tag, the size and the chunk
/// digests. Hashing the whole file a second time would halve the throughput of adding data (both
/// passes are BLAKE3 at the same speed), while the chunk digests already bind every byte.
/// </summary>
internal static class FileDigest
{
    private static readonly byte[] Tag = Encoding.ASCII.GetBytes("keel.dataset.file.v1\n");

    public static ContentHash Compute(long size, ReadOnlySpan<ContentHash> chunks)
    {
        using var hasher = Blake3.Hasher.New();
        hasher.Update(Tag);
        Span<byte> buffer = stackalloc byte[ContentHash.Size];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, size);
        hasher.Update(buffer[..8]);
        foreach (var chunk in chunks)
        {
            chunk.Write(buffer);
            hasher.Update(buffer);
        }

        hasher.Finalize(buffer);
        return ContentHash.Read(buffer);
    }
}
