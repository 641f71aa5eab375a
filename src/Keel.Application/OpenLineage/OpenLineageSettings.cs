using Keel.Core.Configuration;

namespace Keel.Application.OpenLineage;

/// <summary>
/// Where OpenLineage events go, read from the variables OpenLineage's own clients use, so one
/// configuration serves Keel and the rest of a team's jobs: <c>OPENLINEAGE_URL</c> (+
/// <c>OPENLINEAGE_ENDPOINT</c>, default <c>api/v1/lineage</c> as Marquez serves it, and
/// <c>OPENLINEAGE_API_KEY</c> as a bearer token), <c>OPENLINEAGE_NAMESPACE</c> (default
/// <c>keel</c>); or a file of JSON lines, <c>KEEL_OPENLINEAGE_FILE</c>. Neither set: no events.
/// </summary>
/// <param name="Url">The HTTP endpoint events are POSTed to, or null.</param>
/// <param name="File">The JSON Lines file events are appended to, or null.</param>
/// <param name="ApiKey">Bearer token for the HTTP endpoint.</param>
/// <param name="Namespace">The job and dataset namespace.</param>
public sealed record OpenLineageSettings(Uri? Url, string? File, string? ApiKey, string Namespace)
{
    /// <summary>True when events go somewhere.</summary>
    public bool Enabled => Url is not null || File is not null;

    /// <summary>The settings from the environment.</summary>
    public static OpenLineageSettings FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        Uri? url = null;
        if (read("OPENLINEAGE_URL") is { Length: > 0 } baseUrl)
        {
            if (!Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var root) || (root.Scheme != Uri.UriSchemeHttp && root.Scheme != Uri.UriSchemeHttps))
            {
                throw KeelEnvironment.Invalid("OPENLINEAGE_URL", baseUrl, "an http:// or https:// URL of an OpenLineage endpoint (e.g. Marquez at http://localhost:5000)");
            }

            url = new Uri(root, (read("OPENLINEAGE_ENDPOINT") is { Length: > 0 } endpoint ? endpoint : "api/v1/lineage").TrimStart('/'));
        }

        var file = read("KEEL_OPENLINEAGE_FILE");
        return new OpenLineageSettings(url, string.IsNullOrEmpty(file) ? null : file, read("OPENLINEAGE_API_KEY"), read("OPENLINEAGE_NAMESPACE") is { Length: > 0 } ns ? ns : "keel");
    }
}
