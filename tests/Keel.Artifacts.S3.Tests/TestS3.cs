using Keel.Storage.Contracts;

namespace Keel.Artifacts.S3.Tests;

/// <summary>
/// The S3 server the tests use: <c>KEEL_TEST_S3=s3://bucket</c> plus the usual variables
/// (MLFLOW_S3_ENDPOINT_URL, AWS_*), as <c>.ci/services/s3.sh</c> exports them. Each test gets its own
/// prefix under that bucket.
/// </summary>
internal static class TestS3
{
    public const string Variable = "KEEL_TEST_S3";

    public const string Reason = "start an S3 server with `source .ci/services/s3.sh` (CI always does) to run the S3 tests";

    public static string Root => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root
        ? root.TrimEnd('/')
        : throw new InvalidOperationException($"{Variable} is not set: {Reason}.");

    /// <summary>A fresh, unique location under the test bucket.</summary>
    public static string NewLocation(string purpose) => $"{Root}/{purpose}-{Guid.NewGuid():N}";

    public static S3ArtifactStoreSettings NewSettings(string purpose) => S3ArtifactStoreSettings.FromUri(NewLocation(purpose));
}

/// <summary>A fact that needs the test S3 server; skipped, with the reason, when it is not configured.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class S3FactAttribute : FactAttribute
{
    public S3FactAttribute()
    {
        Skip = RequiresEnvironmentAttribute.ReasonToSkip(TestS3.Variable, TestS3.Reason);
    }
}
