namespace Keel.Core.Artifacts;

/// <summary>
/// The bytes of a file a reader asks for, as an HTTP <c>Range: bytes=...</c> header names them: from
/// an offset to an inclusive end, from an offset to the end of the file, or the last N bytes. Stores
/// clip it to the file's size with <see cref="Resolve"/>, so every backend answers the same slice.
/// </summary>
public readonly record struct ArtifactRange
{
    private ArtifactRange(long? start, long? end, bool whole)
    {
        Start = start;
        End = end;
        IsWholeFile = whole;
    }

    /// <summary>The whole file; satisfiable even when the file is empty.</summary>
    public static ArtifactRange WholeFile { get; } = new(0, null, true);

    /// <summary>First byte wanted; null for a suffix range (the last <see cref="End"/> bytes).</summary>
    public long? Start { get; }

    /// <summary>Last byte wanted, inclusive; null for "to the end". For a suffix range, the byte count.</summary>
    public long? End { get; }

    /// <summary>True for <see cref="WholeFile"/>.</summary>
    public bool IsWholeFile { get; }

    /// <summary>Bytes <paramref name="start"/> to <paramref name="endInclusive"/> (null: to the end).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative start, or an end before the start.</exception>
    public static ArtifactRange From(long start, long? endInclusive = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        if (endInclusive is { } end)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(end, start, nameof(endInclusive));
        }

        return new ArtifactRange(start, endInclusive, false);
    }

    /// <summary>The last <paramref name="count"/> bytes (all of a shorter file).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count below 1.</exception>
    public static ArtifactRange Last(long count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return new ArtifactRange(null, count, false);
    }

    /// <summary>
    /// The offset and length this range covers in a file of <paramref name="totalLength"/> bytes, or
    /// null when none of it is there (HTTP's 416): a start at or past the end, or any partial range of
    /// an empty file.
    /// </summary>
    public (long Offset, long Length)? Resolve(long totalLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalLength);
        if (IsWholeFile)
        {
            return (0, totalLength);
        }

        if (Start is not { } start)
        {
            var count = Math.Min(End!.Value, totalLength);
            return count == 0 ? null : (totalLength - count, count);
        }

        if (start >= totalLength)
        {
            return null;
        }

        var last = Math.Min(End ?? long.MaxValue, totalLength - 1);
        return (start, last - start + 1);
    }

    /// <summary>The HTTP header value, e.g. <c>bytes=0-99</c>, <c>bytes=100-</c>, <c>bytes=-50</c>; null for the whole file.</summary>
    public string? ToHeaderValue() => IsWholeFile
        ? null
        : Start is { } start
            ? FormattableString.Invariant($"bytes={start}-{End}")
            : FormattableString.Invariant($"bytes=-{End}");

    /// <inheritdoc/>
    public override string ToString() => ToHeaderValue() ?? "whole file";
}
