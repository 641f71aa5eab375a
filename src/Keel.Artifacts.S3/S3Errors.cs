using System.Net;
using Amazon.Runtime;
using Keel.Core.Errors;

namespace Keel.Artifacts.S3;

/// <summary>
/// The boundary between the AWS SDK and Keel: every S3 failure becomes a <see cref="KeelException"/>
/// with a stable code and a message that says what to do, so no SDK exception reaches the HTTP layer.
/// </summary>
internal static class S3Errors
{
    public static bool IsNotFound(AmazonServiceException e) =>
        e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is null or "NoSuchKey" or "NotFound";

    public static bool IsInvalidRange(AmazonServiceException e) =>
        e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable || e.ErrorCode == "InvalidRange";

    /// <summary>Translates a failure of <paramref name="action"/> on <paramref name="location"/> (an s3:// URI).</summary>
    public static Exception Translate(Exception exception, string action, string location, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case KeelException:
                return exception;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                // The caller gave up (client disconnected, shutdown): not an S3 fault.
                return exception;
            case AmazonServiceException service:
                return FromService(service, action, location);
            case AmazonClientException or HttpRequestException or IOException or OperationCanceledException:
                // Connection refused or reset, DNS, a timeout: the endpoint is not answering now.
                return new KeelException(
                    ErrorCode.TemporarilyUnavailable,
                    $"S3 is unavailable: could not {action} {location} ({exception.Message}). Check that the endpoint ({S3ArtifactStoreSettings.EndpointVariable} or AWS) is reachable; retry later.",
                    exception);
            default:
                return exception;
        }
    }

    private static KeelException FromService(AmazonServiceException e, string action, string location)
    {
        var code = e.ErrorCode ?? ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var status = (int)e.StatusCode;
        return code switch
        {
            "NoSuchKey" or "NotFound" => KeelException.NotFound($"No such artifact: {location}"),
            "NoSuchBucket" => new KeelException(
                ErrorCode.IoError,
                $"The artifact store's bucket does not exist: could not {action} {location} (NoSuchBucket). Create the bucket or fix --artifacts-destination.",
                e),
            "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" or "AllAccessDisabled" => new KeelException(
                ErrorCode.PermissionDenied,
                $"S3 refused to {action} {location} ({code}): check the server's credentials ({S3ArtifactStoreSettings.AccessKeyVariable}, {S3ArtifactStoreSettings.SecretKeyVariable}, {S3ArtifactStoreSettings.SessionTokenVariable}) and the bucket's policy.",
                e),
            "KeyTooLongError" => KeelException.InvalidParameter($"Invalid path: the S3 key of {location} is longer than S3's 1024 bytes."),
            "EntityTooLarge" => new KeelException(ErrorCode.PayloadTooLarge, $"S3 refused to {action} {location}: the object is larger than S3 allows (EntityTooLarge).", e),
            _ when status is 429 or >= 500 || code is "SlowDown" or "Throttling" or "ThrottlingException" or "RequestTimeout" or "ServiceUnavailable" or "InternalError" =>
                new KeelException(
                    ErrorCode.TemporarilyUnavailable,
                    $"S3 is unavailable or throttling: could not {action} {location} ({code}, HTTP {status}); retry later.",
                    e),
            _ => new KeelException(ErrorCode.InternalError, $"S3 refused to {action} {location} ({code}, HTTP {status}): {e.Message}", e),
        };
    }
}
