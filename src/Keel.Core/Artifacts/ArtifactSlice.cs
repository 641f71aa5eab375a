namespace Keel.Core.Artifacts;

/// <summary>
/// What <see cref="IArtifactStore.OpenReadRangeAsync"/> returns: a stream of <see cref="Length"/>
/// bytes starting at <see cref="Offset"/> of a file of <see cref="TotalLength"/> bytes, or an
/// unsatisfiable answer (<see cref="IsSatisfiable"/> false, an empty stream) when the range lies past
/// the end. The caller disposes it, which disposes <see cref="Content"/>.
/// </summary>
public sealed class ArtifactSlice : IDisposable, IAsyncDisposable
{
    /// <summary>A slice of a file.</summary>
    /// <param name="content">The slice's bytes, exactly <paramref name="length"/> of them; owned by the slice.</param>
    /// <param name="offset">Offset of the first byte in the file.</param>
    /// <param name="length">Number of bytes in <paramref name="content"/>.</param>
    /// <param name="totalLength">Size of the whole file.</param>
    public ArtifactSlice(Stream content, long offset, long length, long totalLength)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, totalLength, nameof(length));
        Content = content;
        Offset = offset;
        Length = length;
        TotalLength = totalLength;
        IsSatisfiable = true;
    }

    private ArtifactSlice(long totalLength)
    {
        Content = Stream.Null;
        TotalLength = totalLength;
    }

    /// <summary>The bytes of the slice.</summary>
    public Stream Content { get; }

    /// <summary>Offset of the first byte in the file.</summary>
    public long Offset { get; }

    /// <summary>Number of bytes in <see cref="Content"/>.</summary>
    public long Length { get; }

    /// <summary>Size of the whole file.</summary>
    public long TotalLength { get; }

    /// <summary>False when the requested range lies outside the file (HTTP 416).</summary>
    public bool IsSatisfiable { get; }

    /// <summary>The answer for a range that lies outside a file of <paramref name="totalLength"/> bytes.</summary>
    public static ArtifactSlice Unsatisfiable(long totalLength) => new(totalLength);

    /// <inheritdoc/>
    public void Dispose() => Content.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
