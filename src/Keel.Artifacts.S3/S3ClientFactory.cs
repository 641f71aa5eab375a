using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Keel.Artifacts.S3;

/// <summary>Builds the AWS SDK client the way MLflow's boto3 client is configured from the same variables.</summary>
internal static class S3ClientFactory
{
    public static AmazonS3Client Create(S3ArtifactStoreSettings settings)
    {
        var config = new AmazonS3Config
        {
            // A request that waits longer than this on S3 fails as TEMPORARILY_UNAVAILABLE, not hangs.
            Timeout = TimeSpan.FromMinutes(5),
            RetryMode = RequestRetryMode.Standard,
        };
        if (settings.EndpointUrl is { } endpoint)
        {
            config.ServiceURL = endpoint.AbsoluteUri;
            config.AuthenticationRegion = settings.Region;
            // S3-compatible servers (MinIO, Ceph, moto) address buckets by path, as MLflow's client does.
            config.ForcePathStyle = true;
            // Their support for the SDK's trailing checksums varies; send and check them only where S3 requires.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        if (settings.IgnoreTls)
        {
            config.HttpClientFactory = new InsecureHttpClientFactory();
        }

        if (settings.AccessKeyId is { } key)
        {
            AWSCredentials credentials = settings.SessionToken is { } token
                ? new SessionAWSCredentials(key, settings.SecretAccessKey, token)
                : new BasicAWSCredentials(key, settings.SecretAccessKey);
            return new AmazonS3Client(credentials, config);
        }

        // The SDK's default chain: profile, web identity, container or instance role.
        return new AmazonS3Client(config);
    }
}
