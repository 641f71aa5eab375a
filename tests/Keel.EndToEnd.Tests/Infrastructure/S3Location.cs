namespace Keel.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The test S3 server (<c>KEEL_TEST_S3=s3://bucket</c>, with MLFLOW_S3_ENDPOINT_URL and AWS_* as
/// <c>.ci/services/s3.sh</c> exports them): a fresh prefix per use, so tests never see each other's objects.
/// </summary>
public static class S3Location
{
    public const string Variable = "KEEL_TEST_S3";

    public const string Reason = "start an S3 server with `source .ci/services/s3.sh` (CI always does) to run the S3 tests";

    public static string New(string purpose) =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } root
            ? $"{root.TrimEnd('/')}/{purpose}-{Guid.NewGuid():N}"
            : throw new InvalidOperationException($"{Variable} is not set: {Reason}.");
}
