using System.Globalization;
using Keel.Core.Errors;

namespace Keel.Artifacts.S3;

/// <summary>
/// Where an <see cref="S3ArtifactStore"/> keeps artifacts and how it reaches S3, read from the
/// variables MLflow users already set. <see cref="FromUri"/> checks everything at start-up; a bad
/// value fails there with an error naming the variable and the rule, never at the first request.
/// </summary>
public sealed record S3ArtifactStoreSettings
{
    /// <summary>Endpoint of an S3-compatible server (MinIO, Ceph, moto...); unset means AWS itself. Path-style addressing is used when set.</summary>
    public const string EndpointVariable = "MLFLOW_S3_ENDPOINT_URL";

    /// <summary>Access key id; with <see cref="SecretKeyVariable"/>, or neither for the AWS SDK's default credentials (profile, instance role).</summary>
    public const string AccessKeyVariable = "AWS_ACCESS_KEY_ID";

    /// <summary>Secret access key; goes with <see cref="AccessKeyVariable"/>.</summary>
    public const string SecretKeyVariable = "AWS_SECRET_ACCESS_KEY";

    /// <summary>Session token of temporary credentials; needs the two keys.</summary>
    public const string SessionTokenVariable = "AWS_SESSION_TOKEN";

    /// <summary>Region to sign requests for (boto's variable); <see cref="RegionFallbackVariable"/> next, else us-east-1.</summary>
    public const string RegionVariable = "AWS_DEFAULT_REGION";

    /// <summary>The AWS SDKs' own region variable, read when <see cref="RegionVariable"/> is unset.</summary>
    public const string RegionFallbackVariable = "AWS_REGION";

    /// <summary>true/1 skips TLS certificate checks of the endpoint (a self-signed test server), as MLflow does.</summary>
    public const string IgnoreTlsVariable = "MLFLOW_S3_IGNORE_TLS";

    /// <summary>Smallest part S3 accepts in a multipart upload (all but the last part).</summary>
    public const int MinPartSize = 5 * 1024 * 1024;

    /// <summary>Default part size: the upload buffer of one part; at most two are held per upload.</summary>
    public const int DefaultPartSize = 8 * 1024 * 1024;

    private const string DefaultRegion = "us-east-1";

    /// <summary>The bucket.</summary>
    public required string Bucket { get; init; }

    /// <summary>Key prefix every artifact lives under, without leading or trailing '/'; empty for the bucket's root.</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>A custom endpoint (<see cref="EndpointVariable"/>); null for AWS.</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>The signing region.</summary>
    public string Region { get; init; } = DefaultRegion;

    /// <summary>Access key id; null to use the AWS SDK's default credential chain.</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>Secret access key; set exactly when <see cref="AccessKeyId"/> is.</summary>
    public string? SecretAccessKey { get; init; }

    /// <summary>Session token of temporary credentials, if any.</summary>
    public string? SessionToken { get; init; }

    /// <summary>Skip TLS certificate validation of the endpoint.</summary>
    public bool IgnoreTls { get; init; }

    /// <summary>
    /// Bytes per multipart part (at least <see cref="MinPartSize"/>). An upload holds at most two
    /// parts in memory: one being sent while the next is read. Past every 1,000 parts the size
    /// doubles (up to 512 MiB) so S3's 10,000-part limit is not what caps an object's size.
    /// </summary>
    public int PartSize { get; init; } = DefaultPartSize;

    /// <summary>
    /// Settings for <paramref name="uri"/> (<c>s3://bucket/prefix</c>) and the environment
    /// (<paramref name="environment"/>, the process environment when null).
    /// </summary>
    /// <param name="uri">The artifact destination.</param>
    /// <param name="option">The option the URI came from, for error messages (e.g. <c>--artifacts-destination</c>).</param>
    /// <param name="environment">Reads a variable; null or empty means unset.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the option or the variable and the rule.</exception>
    public static S3ArtifactStoreSettings FromUri(string uri, string option = "--artifacts-destination", Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        environment ??= Environment.GetEnvironmentVariable;
        string? Read(string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;

        var (bucket, prefix) = ParseUri(uri, option);
        var endpoint = Read(EndpointVariable) is { } text ? ParseEndpoint(text) : null;

        var region = Read(RegionVariable) is { } r ? CheckRegion(r, RegionVariable)
            : Read(RegionFallbackVariable) is { } fallback ? CheckRegion(fallback, RegionFallbackVariable)
            : DefaultRegion;

        var accessKey = Read(AccessKeyVariable);
        var secretKey = Read(SecretKeyVariable);
        var token = Read(SessionTokenVariable);
        if ((accessKey is null) != (secretKey is null))
        {
            var (set, missing) = accessKey is null ? (SecretKeyVariable, AccessKeyVariable) : (AccessKeyVariable, SecretKeyVariable);
            throw KeelException.InvalidParameter(
                $"{set} is set but {missing} is not: set both, or neither to use the AWS SDK's default credentials (profile, instance role).");
        }

        if (token is not null && accessKey is null)
        {
            throw KeelException.InvalidParameter(
                $"{SessionTokenVariable} is set without {AccessKeyVariable} and {SecretKeyVariable}: a session token only goes with temporary keys.");
        }

        return new S3ArtifactStoreSettings
        {
            Bucket = bucket,
            Prefix = prefix,
            EndpointUrl = endpoint,
            Region = region,
            AccessKeyId = accessKey,
            SecretAccessKey = secretKey,
            SessionToken = token,
            IgnoreTls = Read(IgnoreTlsVariable) is { } ignore && ParseBoolean(ignore, IgnoreTlsVariable),
        };
    }

    /// <summary>The URI these settings store under, <c>s3://bucket/prefix</c>.</summary>
    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";

    private static (string Bucket, string Prefix) ParseUri(string uri, string option)
    {
        const string scheme = "s3://";
        if (!uri.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw KeelException.InvalidParameter($"Invalid value '{uri}' for {option}: an S3 location is s3://<bucket>[/<prefix>].");
        }

        var rest = uri[scheme.Length..];
        if (rest.IndexOfAny(['?', '#']) >= 0)
        {
            throw KeelException.InvalidParameter($"Invalid value '{uri}' for {option}: an S3 location takes no query string or fragment.");
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
        if (!IsBucketName(bucket))
        {
            throw KeelException.InvalidParameter(
                $"Invalid value '{uri}' for {option}: bucket name '{bucket}' must be 3-63 characters of lower-case letters, digits, '.' and '-', starting and ending with a letter or digit.");
        }

        if (prefix.Length > 0 && prefix.Split('/').Any(s => s.Length == 0 || s is "." or ".."))
        {
            throw KeelException.InvalidParameter($"Invalid value '{uri}' for {option}: the prefix may not have empty, '.' or '..' segments.");
        }

        return (bucket, prefix);
    }

    private static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);

    private static Uri ParseEndpoint(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
            || url.Host.Length == 0 || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
        {
            throw KeelException.InvalidParameter(
                $"{EndpointVariable} '{text}' is not an S3 endpoint: expected http(s)://host[:port] (no credentials, query or fragment).");
        }

        return url;
    }

    private static string CheckRegion(string region, string variable) =>
        region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && char.IsAsciiLetterLower(region[0])
            ? region
            : throw KeelException.InvalidParameter($"{variable} '{region}' is not a region name (lower-case letters, digits and '-', e.g. us-east-1).");

    // MLflow's boolean variables accept exactly these, case-insensitively.
    private static bool ParseBoolean(string text, string variable) =>
        text.ToLower(CultureInfo.InvariantCulture) switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw KeelException.InvalidParameter($"{variable} must be one of true, false, 1, 0 (case-insensitive), but got '{text}'."),
        };
}
