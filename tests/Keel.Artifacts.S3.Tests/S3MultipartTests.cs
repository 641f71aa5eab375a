using Amazon.S3;
using Amazon.S3.Model;
using Keel.Storage.Contracts;

namespace Keel.Artifacts.S3.Tests;

/// <summary>Multipart uploads against a real S3 server: a failed or cancelled upload leaves no parts behind.</summary>
public sealed class S3MultipartTests
{
    [S3Fact]
    public async Task A_failed_or_cancelled_upload_is_aborted_so_no_parts_stay_behind()
    {
        var settings = TestS3.NewSettings("multipart");
        using var s3 = NewClient(settings);
        using var store = new S3ArtifactStore(s3, settings, ownsClient: false);

        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await using var failing = new GeneratedStream(40L * 1024 * 1024, failAfter: 30L * 1024 * 1024);
            await store.WriteAsync("f/failed.bin", failing);
        });
        using (var cancel = new CancellationTokenSource())
        {
            await using var slow = new CancellingStream(new GeneratedStream(40L * 1024 * 1024), cancel, after: 20L * 1024 * 1024);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync("f/cancelled.bin", slow, cancel.Token));
        }

        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = settings.Bucket, Prefix = settings.Prefix + "/" });
        Assert.Empty(uploads.MultipartUploads ?? []);
        Assert.Empty(await store.ListAsync("f"));
    }

    [S3Fact]
    public async Task Parts_are_cut_at_the_part_size_and_reassembled_in_order()
    {
        var settings = TestS3.NewSettings("parts");
        using var s3 = NewClient(settings);
        using var store = new S3ArtifactStore(s3, settings, ownsClient: false);
        var size = (3L * settings.PartSize) + 1;

        await using (var source = new GeneratedStream(size, seed: 42))
        {
            await store.WriteAsync("p/file.bin", source);
        }

        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = settings.Bucket, Key = settings.Prefix + "/p/file.bin", PartNumber = 1 });
        Assert.Equal(4, head.PartsCount);
        await using var read = await store.OpenReadAsync("p/file.bin");
        Assert.Equal(GeneratedStream.Sha256(size, seed: 42), await System.Security.Cryptography.SHA256.HashDataAsync(read));
        await store.DeleteAsync("p");
    }

    private static AmazonS3Client NewClient(S3ArtifactStoreSettings settings) => S3ClientFactory.Create(settings);

    /// <summary>Cancels a token once <c>after</c> bytes have been read, like a client that hangs up mid-upload.</summary>
    private sealed class CancellingStream(Stream inner, CancellationTokenSource cancel, long after) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            _read += read;
            if (_read >= after)
            {
                cancel.Cancel();
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
