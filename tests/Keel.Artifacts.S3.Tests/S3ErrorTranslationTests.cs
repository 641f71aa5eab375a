using Amazon.Runtime;
using Amazon.S3;
using Keel.Core.Errors;

namespace Keel.Artifacts.S3.Tests;

/// <summary>No S3 failure reaches a caller as an SDK exception: each becomes a Keel error with a stable code and a clear message.</summary>
public sealed class S3ErrorTranslationTests
{
    [Theory]
    [InlineData(403, "AccessDenied", ErrorCode.PermissionDenied, "S3 refused to read s3://bucket/p/a/f.txt (AccessDenied): check the server's credentials (AWS_ACCESS_KEY_ID")]
    [InlineData(403, "InvalidAccessKeyId", ErrorCode.PermissionDenied, "S3 refused to read s3://bucket/p/a/f.txt (InvalidAccessKeyId)")]
    [InlineData(503, "SlowDown", ErrorCode.TemporarilyUnavailable, "S3 is unavailable or throttling: could not read s3://bucket/p/a/f.txt (SlowDown, HTTP 503); retry later.")]
    [InlineData(500, "InternalError", ErrorCode.TemporarilyUnavailable, "S3 is unavailable or throttling: could not read s3://bucket/p/a/f.txt (InternalError, HTTP 500)")]
    [InlineData(404, "NoSuchBucket", ErrorCode.IoError, "The artifact store's bucket does not exist: could not read s3://bucket/p/a/f.txt (NoSuchBucket)")]
    [InlineData(404, "NoSuchKey", ErrorCode.ResourceDoesNotExist, "No such artifact: a/f.txt")]
    public async Task Reads_translate_s3_errors(int status, string code, ErrorCode expected, string message)
    {
        using var fake = new FakeS3Endpoint(status, code);
        using var store = StoreAt(fake.Url);

        var e = await Assert.ThrowsAsync<KeelException>(() => store.OpenReadAsync("a/f.txt"));

        Assert.Equal(expected, e.Code);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.IsNotType<AmazonServiceException>(e);
    }

    [Fact]
    public async Task Writes_lists_and_deletes_translate_s3_errors()
    {
        using var fake = new FakeS3Endpoint(403, "AccessDenied");
        using var store = StoreAt(fake.Url);

        Assert.Equal(ErrorCode.PermissionDenied, (await Assert.ThrowsAsync<KeelException>(() => store.WriteAsync("a/f.txt", new MemoryStream([1])))).Code);
        Assert.Equal(ErrorCode.PermissionDenied, (await Assert.ThrowsAsync<KeelException>(() => store.ListAsync("a"))).Code);
        Assert.Equal(ErrorCode.PermissionDenied, (await Assert.ThrowsAsync<KeelException>(() => store.DeleteAsync("a"))).Code);
    }

    [Fact]
    public async Task An_endpoint_that_does_not_answer_is_temporarily_unavailable()
    {
        using var store = StoreAt(new Uri($"http://127.0.0.1:{FakeS3Endpoint.FreePort()}"));

        var e = await Assert.ThrowsAsync<KeelException>(() => store.ListAsync(null));

        Assert.Equal(ErrorCode.TemporarilyUnavailable, e.Code);
        Assert.StartsWith("S3 is unavailable: could not list s3://bucket/p/", e.Message, StringComparison.Ordinal);
        Assert.Contains("MLFLOW_S3_ENDPOINT_URL", e.Message, StringComparison.Ordinal);
    }

    private static S3ArtifactStore StoreAt(Uri endpoint)
    {
        var settings = new S3ArtifactStoreSettings { Bucket = "bucket", Prefix = "p", EndpointUrl = endpoint, AccessKeyId = "id", SecretAccessKey = "secret" };
        var config = new AmazonS3Config { ServiceURL = endpoint.AbsoluteUri, ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 };
        return new S3ArtifactStore(new AmazonS3Client(new BasicAWSCredentials("id", "secret"), config), settings, ownsClient: true);
    }
}
