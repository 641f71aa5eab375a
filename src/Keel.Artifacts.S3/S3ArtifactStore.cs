using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Keel.Core.Artifacts;

namespace Keel.Artifacts.S3;

/// <summary>
/// Artifacts as objects under <c>s3://bucket/prefix</c> (AWS or any S3-compatible server), with the
/// semantics of the local store: a path is a key under the prefix, a directory is a common prefix.
/// Uploads stream through S3's multipart upload with a bounded part buffer and are aborted on failure
/// or cancellation, so no orphaned parts stay behind; downloads stream the response body. Every
/// write is atomic per object: S3 makes a PUT or a CompleteMultipartUpload visible all at once, so a
/// reader sees the old object or the whole new one. Unlike a file system, S3 lets a key and a
/// "directory" of the same name coexist; this store does not spend requests to forbid it.
/// </summary>
public sealed partial class S3ArtifactStore : IArtifactStore, IDisposable
{
    // S3's limit on keys per DeleteObjects request.
    private const int DeleteBatch = 1000;

    private readonly IAmazonS3 _s3;
    private readonly bool _ownsClient;
    private readonly S3ArtifactStoreSettings _settings;
    private readonly string _root;

    /// <summary>A store with a client built from <paramref name="settings"/>.</summary>
    public S3ArtifactStore(S3ArtifactStoreSettings settings)
        : this(S3ClientFactory.Create(settings), settings, ownsClient: true)
    {
    }

    internal S3ArtifactStore(IAmazonS3 s3, S3ArtifactStoreSettings settings, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.PartSize, S3ArtifactStoreSettings.MinPartSize, nameof(settings));
        _s3 = s3;
        _settings = settings;
        _ownsClient = ownsClient;
        _root = settings.Prefix.Length == 0 ? string.Empty : settings.Prefix + "/";
    }

    /// <summary>
    /// Opens <paramref name="uri"/> (<c>s3://bucket/prefix</c>) with the endpoint and credentials of
    /// the environment (see <see cref="S3ArtifactStoreSettings"/>), checked now.
    /// </summary>
    /// <exception cref="Keel.Core.Errors.KeelException">INVALID_PARAMETER_VALUE naming the option or variable that is wrong.</exception>
    public static S3ArtifactStore Open(string uri, string option = "--artifacts-destination") =>
        new(S3ArtifactStoreSettings.FromUri(uri, option));

    /// <summary>The location this store writes under.</summary>
    public override string ToString() => _settings.ToString();

    /// <inheritdoc/>
    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var slice = await OpenReadRangeAsync(path, ArtifactRange.WholeFile, cancellationToken).ConfigureAwait(false);
        return slice.Content;
    }

    /// <inheritdoc/>
    public async Task<ArtifactSlice> OpenReadRangeAsync(string path, ArtifactRange range, CancellationToken cancellationToken = default)
    {
        var key = Key(path);
        var request = new GetObjectRequest { BucketName = _settings.Bucket, Key = key };
        if (range.ToHeaderValue() is { } header)
        {
            request.ByteRange = new ByteRange(header);
        }

        GetObjectResponse response;
        try
        {
            response = await _s3.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (S3Errors.IsNotFound(e))
        {
            throw Keel.Core.Errors.KeelException.NotFound($"No such artifact: {path}");
        }
        catch (AmazonServiceException e) when (S3Errors.IsInvalidRange(e))
        {
            var size = await SizeOfAsync(path, key, cancellationToken).ConfigureAwait(false);
            return size is { } total ? ArtifactSlice.Unsatisfiable(total) : throw S3Errors.Translate(e, "read", Location(key), cancellationToken);
        }
        catch (Exception e)
        {
            throw S3Errors.Translate(e, "read", Location(key), cancellationToken);
        }

        try
        {
            return await SliceAsync(response, range, key, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? path, CancellationToken cancellationToken = default)
    {
        var clean = ArtifactPath.Normalize(path);
        var prefix = clean.Length == 0 ? _root : Key(clean) + "/";
        var entries = new List<ArtifactEntry>();
        var request = new ListObjectsV2Request { BucketName = _settings.Bucket, Prefix = prefix, Delimiter = "/" };
        do
        {
            var page = await CallAsync(() => _s3.ListObjectsV2Async(request, cancellationToken), "list", prefix, cancellationToken).ConfigureAwait(false);
            foreach (var common in page.CommonPrefixes ?? [])
            {
                var name = common[prefix.Length..].TrimEnd('/');
                if (name.Length > 0)
                {
                    entries.Add(new ArtifactEntry(name, true, null));
                }
            }

            foreach (var item in page.S3Objects ?? [])
            {
                var name = item.Key[prefix.Length..];
                // The key equal to the prefix is a "folder" marker some tools create, not a file.
                if (name.Length > 0)
                {
                    entries.Add(new ArtifactEntry(name, false, item.Size ?? 0));
                }
            }

            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);

        if (entries.Count == 0 && clean.Length > 0 && await SizeOfAsync(clean, Key(clean), cancellationToken).ConfigureAwait(false) is { } size)
        {
            // A path naming a file lists that file alone, as the local store does.
            return [new ArtifactEntry(clean[(clean.LastIndexOf('/') + 1)..], false, size)];
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        var key = Key(path);
        var request = new ListObjectsV2Request { BucketName = _settings.Bucket, Prefix = key + "/" };
        var batch = new List<string> { key };
        do
        {
            var page = await CallAsync(() => _s3.ListObjectsV2Async(request, cancellationToken), "list", request.Prefix, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                batch.Add(item.Key);
                if (batch.Count == DeleteBatch)
                {
                    await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                }
            }

            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);

        if (batch.Count > 0)
        {
            await DeleteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Disposes the S3 client if this store created it.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _s3.Dispose();
        }
    }

    private async Task DeleteBatchAsync(List<string> keys, CancellationToken cancellationToken)
    {
        var request = new DeleteObjectsRequest { BucketName = _settings.Bucket, Quiet = true };
        foreach (var key in keys)
        {
            request.AddKey(key);
        }

        var response = await CallAsync(() => _s3.DeleteObjectsAsync(request, cancellationToken), "delete", keys[0], cancellationToken).ConfigureAwait(false);
        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            var first = errors[0];
            var fault = new AmazonS3Exception(first.Message, ErrorType.Sender, first.Code, null, System.Net.HttpStatusCode.OK);
            throw S3Errors.Translate(fault, $"delete {errors.Count} object(s) including", Location(first.Key), cancellationToken);
        }
    }

    private async Task<ArtifactSlice> SliceAsync(GetObjectResponse response, ArtifactRange range, string key, CancellationToken cancellationToken)
    {
        var length = response.ContentLength;
        if (range.IsWholeFile)
        {
            return new ArtifactSlice(new S3ObjectStream(response, length, Location(key)), 0, length, length);
        }

        if (TryParseContentRange(response.ContentRange, out var offset, out var total))
        {
            return new ArtifactSlice(new S3ObjectStream(response, length, Location(key)), offset, length, total);
        }

        // Some S3-compatible servers ignore a Range they cannot serve and send the whole object.
        if (range.Resolve(length) is not { } span)
        {
            response.Dispose();
            return ArtifactSlice.Unsatisfiable(length);
        }

        var stream = new S3ObjectStream(response, length, Location(key));
        await Keel.Core.IO.SubStream.SkipAsync(stream, span.Offset, cancellationToken).ConfigureAwait(false);
        return new ArtifactSlice(new Keel.Core.IO.SubStream(stream, span.Length), span.Offset, span.Length, length);
    }

    // "bytes 0-99/1000"
    private static bool TryParseContentRange(string? header, out long offset, out long total)
    {
        offset = total = 0;
        if (header is null || !header.StartsWith("bytes ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var dash = header.IndexOf('-', StringComparison.Ordinal);
        var slash = header.IndexOf('/', StringComparison.Ordinal);
        return dash > 6 && slash > dash
            && long.TryParse(header.AsSpan(6, dash - 6), NumberStyles.None, CultureInfo.InvariantCulture, out offset)
            && long.TryParse(header.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out total);
    }

    /// <summary>The object's size, or null when there is none.</summary>
    private async Task<long?> SizeOfAsync(string path, string key, CancellationToken cancellationToken)
    {
        try
        {
            var head = await _s3.GetObjectMetadataAsync(_settings.Bucket, key, cancellationToken).ConfigureAwait(false);
            return head.ContentLength;
        }
        catch (AmazonServiceException e) when (S3Errors.IsNotFound(e))
        {
            return null;
        }
        catch (Exception e)
        {
            throw S3Errors.Translate(e, "read", Location(key) + $" ({path})", cancellationToken);
        }
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call, string action, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw S3Errors.Translate(e, action, Location(key), cancellationToken);
        }
    }

    /// <summary>The key of a store-relative path; the path was checked above the port, this only asserts it.</summary>
    private string Key(string path) => _root + GuardedArtifactStore.FilePath(path);

    private string Location(string key) => $"s3://{_settings.Bucket}/{key}";
}
