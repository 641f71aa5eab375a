using System.Buffers.Binary;

namespace Keel.Data.Content;

/// <summary>
/// A 32-byte BLAKE3 digest held as four words, so the chunk index keys on a value type instead of a
/// hex string (a store with millions of chunks would otherwise spend most of its index on strings).
/// </summary>
internal readonly struct ContentHash : IEquatable<ContentHash>
{
    public const int Size = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    private ContentHash(ulong a, ulong b, ulong c, ulong d)
    {
        _a = a;
        _b = b;
        _c = c;
        _d = d;
    }

    public static ContentHash Read(ReadOnlySpan<byte> bytes) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));

    public static ContentHash Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> output = stackalloc byte[Size];
        Blake3.Hasher.Hash(data, output);
        return Read(output);
    }

    /// <summary>Parses 64 hex digits (either case); false for anything else.</summary>
    public static bool TryParse(string? hex, out ContentHash hash)
    {
        hash = default;
        if (hex is null || hex.Length != Size * 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
        {
            return false;
        }

        hash = Read(bytes);
        return true;
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, _a);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], _d);
    }

    public bool Equals(ContentHash other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is ContentHash other && Equals(other);

    // The words are already uniformly distributed; one of them is as good a hash code as any mix.
    public override int GetHashCode() => (int)_a;

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        Write(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static bool operator ==(ContentHash left, ContentHash right) => left.Equals(right);

    public static bool operator !=(ContentHash left, ContentHash right) => !left.Equals(right);
}
