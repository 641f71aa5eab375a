using Keel.Core.Errors;

namespace Keel.Artifacts.S3.Tests;

public sealed class S3ArtifactStoreSettingsTests
{
    private static readonly Dictionary<string, string?> Minimal = new()
    {
        ["MLFLOW_S3_ENDPOINT_URL"] = "http://127.0.0.1:9000",
        ["AWS_ACCESS_KEY_ID"] = "id",
        ["AWS_SECRET_ACCESS_KEY"] = "secret",
    };

    [Fact]
    public void The_variables_mlflow_users_set_configure_the_store()
    {
        var env = new Dictionary<string, string?>(Minimal)
        {
            ["AWS_SESSION_TOKEN"] = "token",
            ["AWS_DEFAULT_REGION"] = "eu-west-3",
            ["MLFLOW_S3_IGNORE_TLS"] = "TRUE",
        };

        var settings = S3ArtifactStoreSettings.FromUri("s3://my-bucket/team/mlflow/", environment: Read(env));

        Assert.Equal(("my-bucket", "team/mlflow"), (settings.Bucket, settings.Prefix));
        Assert.Equal(new Uri("http://127.0.0.1:9000"), settings.EndpointUrl);
        Assert.Equal(("id", "secret", "token"), (settings.AccessKeyId, settings.SecretAccessKey, settings.SessionToken));
        Assert.Equal("eu-west-3", settings.Region);
        Assert.True(settings.IgnoreTls);
        Assert.Equal("s3://my-bucket/team/mlflow", settings.ToString());
    }

    [Fact]
    public void Without_variables_the_store_uses_aws_us_east_1_and_the_sdks_default_credentials()
    {
        var settings = S3ArtifactStoreSettings.FromUri("s3://bucket", environment: _ => null);

        Assert.Equal((string.Empty, null, "us-east-1", null, false), (settings.Prefix, settings.EndpointUrl, settings.Region, settings.AccessKeyId, settings.IgnoreTls));
        Assert.Equal("ap-south-1", S3ArtifactStoreSettings.FromUri("s3://bucket", environment: Read(new() { ["AWS_REGION"] = "ap-south-1" })).Region);
    }

    [Theory]
    [InlineData("MLFLOW_S3_ENDPOINT_URL", "localhost:9000", "MLFLOW_S3_ENDPOINT_URL 'localhost:9000' is not an S3 endpoint")]
    [InlineData("MLFLOW_S3_ENDPOINT_URL", "ftp://host", "MLFLOW_S3_ENDPOINT_URL 'ftp://host' is not an S3 endpoint")]
    [InlineData("MLFLOW_S3_ENDPOINT_URL", "http://user:pw@host", "MLFLOW_S3_ENDPOINT_URL 'http://user:pw@host' is not an S3 endpoint")]
    [InlineData("AWS_DEFAULT_REGION", "EU West", "AWS_DEFAULT_REGION 'EU West' is not a region name")]
    [InlineData("MLFLOW_S3_IGNORE_TLS", "yes", "MLFLOW_S3_IGNORE_TLS must be one of true, false, 1, 0")]
    [InlineData("AWS_ACCESS_KEY_ID", "", "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")]
    [InlineData("AWS_SECRET_ACCESS_KEY", "", "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")]
    public void A_bad_variable_fails_at_start_naming_it(string variable, string value, string message)
    {
        var env = new Dictionary<string, string?>(Minimal) { [variable] = value };

        var e = Assert.Throws<KeelException>(() => S3ArtifactStoreSettings.FromUri("s3://bucket/p", environment: Read(env)));

        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_token_without_keys_is_refused()
    {
        var e = Assert.Throws<KeelException>(() => S3ArtifactStoreSettings.FromUri("s3://bucket", environment: Read(new() { ["AWS_SESSION_TOKEN"] = "t" })));

        Assert.Contains("AWS_SESSION_TOKEN is set without AWS_ACCESS_KEY_ID", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3:/bucket", "an S3 location is s3://<bucket>[/<prefix>]")]
    [InlineData("gs://bucket", "an S3 location is s3://<bucket>[/<prefix>]")]
    [InlineData("s3://Bucket_Upper/x", "bucket name 'Bucket_Upper' must be 3-63 characters")]
    [InlineData("s3://ab", "bucket name 'ab' must be 3-63 characters")]
    [InlineData("s3://", "bucket name '' must be 3-63 characters")]
    [InlineData("s3://bucket/a//b", "the prefix may not have empty, '.' or '..' segments")]
    [InlineData("s3://bucket/a/../b", "the prefix may not have empty, '.' or '..' segments")]
    [InlineData("s3://bucket/a?versionId=1", "an S3 location takes no query string or fragment")]
    public void A_bad_uri_names_the_option_and_the_rule(string uri, string rule)
    {
        var e = Assert.Throws<KeelException>(() => S3ArtifactStoreSettings.FromUri(uri, "--artifacts-destination", _ => null));

        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains($"for --artifacts-destination: {rule}", e.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Read(Dictionary<string, string?> env) => name => env.GetValueOrDefault(name);
}
