using System.Buffers;
using Amazon.S3.Model;
using Keel.Core.Errors;

namespace Keel.Artifacts.S3;

// Streaming writes: a body that fits in one part is one PutObject; anything longer is a multipart
// upload whose parts are read into a pooled buffer while the previous part is being sent, so an
// upload of any length holds at most two parts in memory. A failed or cancelled upload is aborted,
// so S3 keeps no orphaned parts (and bills none). A part is already in memory, so it is signed whole
// (UseChunkEncoding off): the SDK's chunked signing wrapper allocated per chunk, which on a 2 GB
// upload through the server was the bulk of its garbage and halved the upload rate.
public sealed partial class S3ArtifactStore
{
    // S3 allows 10,000 parts of at most 5 GiB; doubling every 1,000 parts reaches its 5 TiB object limit.
    private const int MaxParts = 10_000;
    private const int PartsPerSize = 1_000;
    private const int MaxPartSize = 512 * 1024 * 1024;

    /// <inheritdoc/>
    public async Task WriteAsync(string path, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var key = Key(path);
        var buffer = ArrayPool<byte>.Shared.Rent(_settings.PartSize);
        int filled;
        try
        {
            filled = await FillAsync(content, buffer, _settings.PartSize, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        // Each branch takes ownership of the buffer and returns it to the pool exactly once.
        if (filled < _settings.PartSize)
        {
            await PutAsync(key, buffer, filled, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // The first part is full: the body may be longer than one part, so upload it in parts.
            await UploadInPartsAsync(key, content, buffer, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int PartSizeOf(int partNumber, int baseSize) =>
        (int)Math.Min(MaxPartSize, (long)baseSize << Math.Min(10, (partNumber - 1) / PartsPerSize));

    /// <summary>Reads until <paramref name="count"/> bytes or the end of the stream; returns the bytes read.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < count)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, count - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private async Task PutAsync(string key, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        try
        {
            using var body = new MemoryStream(buffer, 0, count, writable: false);
            var request = new PutObjectRequest { BucketName = _settings.Bucket, Key = key, InputStream = body, AutoCloseStream = false, UseChunkEncoding = false };
            await CallAsync(() => _s3.PutObjectAsync(request, cancellationToken), "write", key, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Takes ownership of <paramref name="first"/>, a full first part.</summary>
    private async Task UploadInPartsAsync(string key, Stream content, byte[] first, CancellationToken cancellationToken)
    {
        InitiateMultipartUploadResponse initiated;
        try
        {
            initiated = await CallAsync(
                () => _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _settings.Bucket, Key = key }, cancellationToken),
                "start an upload of",
                key,
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(first);
            throw;
        }

        var uploadId = initiated.UploadId;
        var parts = new List<PartETag>();
        byte[]? current = first;
        var filled = _settings.PartSize;
        Task<PartETag>? sending = null;
        byte[]? sendingBuffer = null;
        try
        {
            for (var partNumber = 1; ; partNumber++)
            {
                sending = UploadPartAsync(key, uploadId, partNumber, current, filled, cancellationToken);
                sendingBuffer = current;
                current = null;

                // Read the next part while this one is on the wire.
                var nextSize = PartSizeOf(partNumber + 1, _settings.PartSize);
                var next = ArrayPool<byte>.Shared.Rent(nextSize);
                int nextFilled;
                try
                {
                    nextFilled = await FillAsync(content, next, nextSize, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(next);
                    throw;
                }

                parts.Add(await sending.ConfigureAwait(false));
                sending = null;
                ArrayPool<byte>.Shared.Return(sendingBuffer);
                sendingBuffer = null;

                if (nextFilled == 0)
                {
                    ArrayPool<byte>.Shared.Return(next);
                    break;
                }

                if (partNumber == MaxParts)
                {
                    ArrayPool<byte>.Shared.Return(next);
                    throw new KeelException(ErrorCode.PayloadTooLarge, $"The artifact at {Location(key)} is larger than an S3 multipart upload can hold ({MaxParts} parts).");
                }

                current = next;
                filled = nextFilled;
            }

            var complete = new CompleteMultipartUploadRequest { BucketName = _settings.Bucket, Key = key, UploadId = uploadId };
            complete.AddPartETags(parts);
            await CallAsync(() => _s3.CompleteMultipartUploadAsync(complete, cancellationToken), "finish the upload of", key, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DrainAsync(sending).ConfigureAwait(false);
            await AbortAsync(key, uploadId).ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (current is not null)
            {
                ArrayPool<byte>.Shared.Return(current);
            }

            if (sendingBuffer is not null)
            {
                // Only after the part upload that reads it has finished (DrainAsync above).
                ArrayPool<byte>.Shared.Return(sendingBuffer);
            }
        }
    }

    private async Task<PartETag> UploadPartAsync(string key, string uploadId, int partNumber, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(buffer, 0, count, writable: false);
        var request = new UploadPartRequest
        {
            BucketName = _settings.Bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = partNumber,
            PartSize = count,
            InputStream = body,
            UseChunkEncoding = false,
        };
        var response = await CallAsync(() => _s3.UploadPartAsync(request, cancellationToken), "upload a part of", key, cancellationToken).ConfigureAwait(false);
        return new PartETag(partNumber, response.ETag);
    }

    private static async Task DrainAsync(Task? sending)
    {
        if (sending is null)
        {
            return;
        }

        try
        {
            await sending.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The upload is being abandoned; the first failure is the one the caller sees.
        }
    }

    private async Task AbortAsync(string key, string uploadId)
    {
        try
        {
            // Not the caller's token: a cancelled upload must still be cleaned up.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _s3.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = _settings.Bucket, Key = key, UploadId = uploadId }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort: the original failure matters more; a bucket lifecycle rule
            // (AbortIncompleteMultipartUpload) catches what an unreachable S3 leaves behind.
        }
    }
}
