using Keel.Core.Errors;

namespace Keel.Core.Artifacts;

/// <summary>
/// An artifact location as MLflow spells it (an experiment's <c>artifact_location</c>, a run's
/// <c>artifact_uri</c>, a model version's source, a server's default artifact root): the one parser
/// of these strings in Keel. It tells who can reach the location (<see cref="Kind"/>), the path under
/// the artifact proxy or on disk, and appends sub-paths the way MLflow's <c>append_to_uri_path</c> does.
/// </summary>
public sealed class ArtifactUri
{
    /// <summary>The route of the artifact proxy; an http(s) location under it is proxied.</summary>
    public const string ProxyRoute = "/api/2.0/mlflow-artifacts/artifacts";

    /// <summary>The location new experiments get when the server proxies artifacts (MLflow's default).</summary>
    public const string ProxyRoot = "mlflow-artifacts:";

    private const string ProxyScheme = "mlflow-artifacts";

    // Schemes whose last path segment urllib splits ";params" from; MLflow refuses a location with them.
    private static readonly string[] ParamSchemes = ["", "http", "https", "ftp", "sftp", "hdl", "prospero", "imap", "shttp", "rtsp", "rtspu", "sip", "sips", "mms", "tel"];

    private ArtifactUri(string value, string scheme, string? authority, string path, string suffix)
    {
        Value = value;
        Scheme = scheme;
        Authority = authority;
        PathPart = path;
        Suffix = suffix;
        (Kind, ProxyPath, LocalPath) = Classify(value, scheme, authority, path);
    }

    /// <summary>The text as given.</summary>
    public string Value { get; }

    /// <summary>The scheme in lower case; empty for a plain path (a drive letter is a path too).</summary>
    public string Scheme { get; }

    /// <summary>Who can reach the location.</summary>
    public ArtifactUriKind Kind { get; }

    /// <summary>For <see cref="ArtifactUriKind.Proxied"/>: the path under the proxy's destination, no leading or trailing '/' ("" is the root).</summary>
    public string? ProxyPath { get; }

    /// <summary>For <see cref="ArtifactUriKind.Local"/>: the file-system path, percent-decoded for <c>file:</c> URIs; may be relative.</summary>
    public string? LocalPath { get; }

    private string? Authority { get; }

    private string PathPart { get; }

    // "?query#fragment" as given.
    private string Suffix { get; }

    /// <summary>Parses a location; throws INVALID_PARAMETER_VALUE for a <c>file:</c> URI naming another host.</summary>
    public static ArtifactUri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var scheme = SchemeOf(uri);
        if (scheme.Length == 0)
        {
            return new ArtifactUri(uri, string.Empty, null, uri, string.Empty);
        }

        var rest = uri[(scheme.Length + 1)..];
        string? authority = null;
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny(['/', '?', '#'], 2);
            authority = end < 0 ? rest[2..] : rest[2..end];
            rest = end < 0 ? string.Empty : rest[end..];
        }

        var cut = rest.IndexOfAny(['?', '#']);
        var path = cut < 0 ? rest : rest[..cut];
        var suffix = cut < 0 ? string.Empty : rest[cut..];
        return new ArtifactUri(uri, scheme.ToLowerInvariant(), authority, path, suffix);
    }

    /// <summary>
    /// The path under the artifact proxy of a location the proxy serves (<c>mlflow-artifacts:/1/r/artifacts</c>
    /// and the proxy's http(s) route give <c>1/r/artifacts</c>), for code that reads and writes
    /// artifacts through an <see cref="IArtifactStore"/> over the proxy's destination.
    /// </summary>
    /// <exception cref="KeelException">NOT_IMPLEMENTED for a location the proxy does not serve (a local path, <c>s3://</c>, ...).</exception>
    public static string ProxyPathOf(string location)
    {
        var uri = Parse(location);
        return uri.Kind == ArtifactUriKind.Proxied
            ? uri.ProxyPath!
            : throw new KeelException(
                ErrorCode.NotImplemented,
                $"The artifacts at '{location}' are not served by the artifact proxy ({ProxyRoot}/...); Keel reads and writes run and model artifacts through the proxy only.");
    }

    /// <summary>
    /// The location with <paramref name="relative"/> appended to its path (MLflow's
    /// <c>append_to_uri_path</c>): <c>mlflow-artifacts:</c> + <c>1</c> is <c>mlflow-artifacts:/1</c>,
    /// a query string stays at the end.
    /// </summary>
    public string Append(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        var tail = relative.Trim('/');
        if (tail.Length == 0)
        {
            return Value;
        }

        if (Scheme.Length == 0)
        {
            return Value.Length == 0 ? tail : Value.TrimEnd('/') + "/" + tail;
        }

        var head = Value[..(Value.Length - PathPart.Length - Suffix.Length)];
        return head + PathPart.TrimEnd('/') + "/" + tail + Suffix;
    }

    /// <summary>
    /// Checks a location a client or operator gives (an experiment's <c>artifact_location</c>, the
    /// server's default root) and returns it as stored: a relative local path made absolute against the
    /// working directory, as MLflow's <c>resolve_uri_if_local</c> does, and normalised. Refuses
    /// (INVALID_PARAMETER_VALUE, naming <paramref name="field"/>) what MLflow refuses (fragments,
    /// params, <c>..</c> in the query, a remote <c>file:</c> host) and what no store can mean:
    /// control characters, a blank value, a malformed scheme, <c>.</c>/<c>..</c> under the proxy.
    /// </summary>
    public static string CheckLocation(string location, string field = "artifact_location")
    {
        ArgumentNullException.ThrowIfNull(location);
        if (string.IsNullOrWhiteSpace(location) || location.Any(char.IsControl))
        {
            throw Invalid(field, "it must be a URI or a path without control characters");
        }

        if (location.Contains("://", StringComparison.Ordinal) && SchemeOf(location).Length < 2)
        {
            throw Invalid(field, "the text before '://' is not a URI scheme");
        }

        var uri = Parse(location);
        var paramsAllowed = !ParamSchemes.Contains(uri.Scheme) || !LastSegment(uri.PathPart).Contains(';', StringComparison.Ordinal);
        if (location.Contains('#', StringComparison.Ordinal) || !paramsAllowed)
        {
            throw KeelException.InvalidParameter($"'{field}' URL can't include fragments or params.");
        }

        if (uri.Suffix.StartsWith('?') && FullyDecoded(uri.Suffix).Contains("..", StringComparison.Ordinal))
        {
            throw KeelException.InvalidParameter("Invalid query string");
        }

        if (uri.Kind == ArtifactUriKind.Proxied && ArtifactPath.HasDotSegment(uri.ProxyPath!))
        {
            throw Invalid(field, "'.' and '..' segments are not allowed in an artifact proxy location");
        }

        return uri.Kind == ArtifactUriKind.Local ? uri.Absolute() : location;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    private string Absolute()
    {
        var full = Path.GetFullPath(LocalPath!);
        if (string.Equals(full, LocalPath, StringComparison.Ordinal))
        {
            // Already absolute and normal: keep the caller's spelling (e.g. file://localhost/...).
            return Value;
        }

        if (Scheme.Length == 0)
        {
            return full;
        }

        // A file: URI stays a file: URI; only its path changes.
        var path = string.Join('/', full.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
        return "file://" + (path.StartsWith('/') ? path : "/" + path) + Suffix;
    }

    private static (ArtifactUriKind Kind, string? ProxyPath, string? LocalPath) Classify(string value, string scheme, string? authority, string path)
    {
        switch (scheme)
        {
            case "":
                return (ArtifactUriKind.Local, null, value);
            case ProxyScheme:
                return (ArtifactUriKind.Proxied, path.Trim('/'), null);
            case "http" or "https":
                if (path == ProxyRoute || path.StartsWith(ProxyRoute + "/", StringComparison.Ordinal))
                {
                    return (ArtifactUriKind.Proxied, path[ProxyRoute.Length..].Trim('/'), null);
                }

                return (ArtifactUriKind.Remote, null, null);
            case "file":
                if (authority is { Length: > 0 } host && !IsLocalHost(host))
                {
                    throw KeelException.InvalidParameter(
                        $"{value} is not a valid remote uri. For remote access on windows, please consider using a different scheme such as SMB (e.g. smb://<hostname>/<path>).");
                }

                return (ArtifactUriKind.Local, null, Uri.UnescapeDataString(path.Length == 0 ? "/" : path));
            default:
                return (ArtifactUriKind.Remote, null, null);
        }
    }

    private static bool IsLocalHost(string authority)
    {
        var host = authority[(authority.LastIndexOf('@') + 1)..];
        return host == "." || host.StartsWith("localhost", StringComparison.OrdinalIgnoreCase) || host.StartsWith("127.0.0.1", StringComparison.Ordinal);
    }

    // "C:" is a Windows drive, not a scheme, so a scheme has at least two characters.
    private static string SchemeOf(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 2 || !char.IsAsciiLetter(text[0]))
        {
            return string.Empty;
        }

        for (var i = 1; i < colon; i++)
        {
            var c = text[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return string.Empty;
            }
        }

        return text[..colon];
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static string FullyDecoded(string text)
    {
        for (var i = 0; i < 10; i++)
        {
            var next = Uri.UnescapeDataString(text);
            if (next == text)
            {
                break;
            }

            text = next;
        }

        return text;
    }

    private static KeelException Invalid(string field, string rule) =>
        KeelException.InvalidParameter($"Invalid value for parameter '{field}': {rule}.");
}
