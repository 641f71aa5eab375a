using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Keel.Storage.Features;

/// <summary>
/// The compact binary form of an online row's values, shared by every online store (SQLite blob,
/// Redis hash field): a varint count, then per value one tag byte (0 null, 1 long, 2 double,
/// 3 string, 4 false, 5 true) and its payload (long as zig-zag varint, double as 8 little-endian
/// bytes so NaN and -0.0 keep their bits, string as varint byte length and UTF-8). Version byte
/// first, so the layout can change without a data migration.
/// </summary>
public static class OnlineRowCodec
{
    private const byte Version = 1;
    private const byte TagNull = 0;
    private const byte TagLong = 1;
    private const byte TagDouble = 2;
    private const byte TagString = 3;
    private const byte TagFalse = 4;
    private const byte TagTrue = 5;

    /// <summary>Encodes values (long, double, string, bool or null; int and float are widened).</summary>
    public static byte[] Encode(IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var writer = Writer ??= new ArrayBufferWriter<byte>(256);
        writer.ResetWrittenCount();
        Encode(values, writer);
        return writer.WrittenSpan.ToArray();
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? Writer;

    /// <summary>Encodes values into <paramref name="writer"/>.</summary>
    public static void Encode(IReadOnlyList<object?> values, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(writer);
        var head = writer.GetSpan(6);
        head[0] = Version;
        var n = 1 + WriteVarint(head[1..], (ulong)values.Count);
        writer.Advance(n);
        foreach (var value in values)
        {
            switch (value)
            {
                case null:
                    writer.GetSpan(1)[0] = TagNull;
                    writer.Advance(1);
                    break;
                case long or int or short or sbyte or byte or ushort or uint:
                    {
                        var l = value is long x ? x : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                        var span = writer.GetSpan(11);
                        span[0] = TagLong;
                        writer.Advance(1 + WriteVarint(span[1..], (ulong)((l << 1) ^ (l >> 63))));
                        break;
                    }

                case double or float:
                    {
                        var d = value is float f ? f : (double)value;
                        var span = writer.GetSpan(9);
                        span[0] = TagDouble;
                        BinaryPrimitives.WriteInt64LittleEndian(span[1..], BitConverter.DoubleToInt64Bits(d));
                        writer.Advance(9);
                        break;
                    }

                case bool b:
                    writer.GetSpan(1)[0] = b ? TagTrue : TagFalse;
                    writer.Advance(1);
                    break;
                case string s:
                    {
                        var bytes = Encoding.UTF8.GetByteCount(s);
                        var span = writer.GetSpan(11 + bytes);
                        span[0] = TagString;
                        var m = 1 + WriteVarint(span[1..], (ulong)bytes);
                        Encoding.UTF8.GetBytes(s, span[m..]);
                        writer.Advance(m + bytes);
                        break;
                    }

                default:
                    throw new ArgumentException($"An online value must be long, double, string, bool or null, not {value.GetType().Name}.", nameof(values));
            }
        }
    }

    /// <summary>Decodes what <see cref="Encode(IReadOnlyList{object?})"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an encoded row.</exception>
    public static object?[] Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || data[0] != Version)
        {
            throw new InvalidDataException("Not an encoded online row (unknown version).");
        }

        var pos = 1;
        var count = (int)ReadVarint(data, ref pos);
        if (count < 0 || count > data.Length)
        {
            throw new InvalidDataException("Not an encoded online row (bad count).");
        }

        var values = new object?[count];
        for (var i = 0; i < count; i++)
        {
            var tag = data[pos++];
            switch (tag)
            {
                case TagNull:
                    break;
                case TagLong:
                    {
                        var z = ReadVarint(data, ref pos);
                        values[i] = (long)(z >> 1) ^ -(long)(z & 1);
                        break;
                    }

                case TagDouble:
                    values[i] = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(data.Slice(pos, 8)));
                    pos += 8;
                    break;
                case TagString:
                    {
                        var length = (int)ReadVarint(data, ref pos);
                        values[i] = Encoding.UTF8.GetString(data.Slice(pos, length));
                        pos += length;
                        break;
                    }

                case TagFalse:
                    values[i] = false;
                    break;
                case TagTrue:
                    values[i] = true;
                    break;
                default:
                    throw new InvalidDataException($"Not an encoded online row (tag {tag}).");
            }
        }

        return values;
    }

    private static int WriteVarint(Span<byte> span, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        return i;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong result = 0;
        var shift = 0;
        while (true)
        {
            if (pos >= data.Length || shift > 63)
            {
                throw new InvalidDataException("Not an encoded online row (truncated).");
            }

            var b = data[pos++];
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return result;
            }

            shift += 7;
        }
    }
}
