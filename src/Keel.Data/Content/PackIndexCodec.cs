using System.Buffers.Binary;
using System.Text;
using Keel.Core.Errors;

namespace Keel.Data.Content;

/// <summary>
/// A pack index object: the magic <c>KEELPIX1</c>, an entry count, then per chunk its 32-byte digest,
/// its offset in the pack (int64) and its length (int32), little-endian. The pack and its index are
/// both named by BLAKE3 of these bytes: the chunks are content-addressed, so the index fixes the
/// pack's bytes, and naming by the index avoids hashing the pack's bytes a second time.
/// </summary>
internal static class PackIndexCodec
{
    private const int HeaderSize = 12;
    private const int EntrySize = ContentHash.Size + 8 + 4;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("KEELPIX1");

    public static byte[] Encode(IReadOnlyList<(ContentHash Hash, long Offset, int Length)> entries)
    {
        var bytes = new byte[HeaderSize + (entries.Count * EntrySize)];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), entries.Count);
        var position = HeaderSize;
        foreach (var (hash, offset, length) in entries)
        {
            hash.Write(bytes.AsSpan(position));
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(position + ContentHash.Size), offset);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(position + ContentHash.Size + 8), length);
            position += EntrySize;
        }

        return bytes;
    }

    /// <summary>Checks the bytes against their name and calls <paramref name="add"/> for each entry.</summary>
    public static void Decode(ReadOnlySpan<byte> bytes, string name, string where, Action<ContentHash, long, int> add)
    {
        if (!string.Equals(ContentHash.Compute(bytes).ToString(), name, StringComparison.Ordinal)
            || bytes.Length < HeaderSize
            || !bytes[..8].SequenceEqual(Magic))
        {
            throw new KeelException(ErrorCode.InternalError, $"Corrupt dataset pack index {where}: its bytes do not match its name");
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        if (count < 0 || bytes.Length != HeaderSize + ((long)count * EntrySize))
        {
            throw new KeelException(ErrorCode.InternalError, $"Corrupt dataset pack index {where}: bad length");
        }

        for (var position = HeaderSize; position < bytes.Length; position += EntrySize)
        {
            add(
                ContentHash.Read(bytes[position..]),
                BinaryPrimitives.ReadInt64LittleEndian(bytes[(position + ContentHash.Size)..]),
                BinaryPrimitives.ReadInt32LittleEndian(bytes[(position + ContentHash.Size + 8)..]));
        }
    }
}
