using System.Text;

namespace Keel.Core.Text;

/// <summary>
/// String lengths as MLflow counts them: Python's <c>len</c> counts Unicode code points, so an
/// emoji is one character, not the two UTF-16 units <see cref="string.Length"/> counts.
/// </summary>
public static class CodePoints
{
    /// <summary>The number of code points in <paramref name="value"/> (a lone surrogate counts as one).</summary>
    public static int Count(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var count = 0;
        var span = value.AsSpan();
        while (!span.IsEmpty)
        {
            Rune.DecodeFromUtf16(span, out _, out var consumed);
            span = span[consumed..];
            count++;
        }

        return count;
    }

    /// <summary>True when <paramref name="value"/> has more than <paramref name="limit"/> code points; cheap for short strings.</summary>
    public static bool Exceeds(string value, int limit)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Code points never outnumber UTF-16 units, so most values need no decoding.
        return value.Length > limit && Count(value) > limit;
    }

    /// <summary>The first <paramref name="max"/> code points of <paramref name="value"/>, never splitting a surrogate pair.</summary>
    public static string Prefix(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        var span = value.AsSpan();
        var taken = 0;
        for (var n = 0; n < max && taken < span.Length; n++)
        {
            Rune.DecodeFromUtf16(span[taken..], out _, out var consumed);
            taken += consumed;
        }

        return taken == value.Length ? value : value[..taken];
    }
}
