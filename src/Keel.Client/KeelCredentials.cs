using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Keel.Client;

/// <summary>
/// How a client signs in to a server with authentication on, as MLflow's clients do: a username and
/// password (HTTP Basic) or a token (Bearer: a Keel API token or an OpenID Connect JWT).
/// </summary>
public sealed record KeelCredentials
{
    private KeelCredentials(AuthenticationHeaderValue header, string description)
    {
        Header = header;
        Description = description;
    }

    /// <summary>The <c>Authorization</c> header sent with every request.</summary>
    public AuthenticationHeaderValue Header { get; }

    /// <summary>Where the credentials came from, for messages (never the secret).</summary>
    public string Description { get; }

    /// <summary>A username and password (MLFLOW_TRACKING_USERNAME, MLFLOW_TRACKING_PASSWORD).</summary>
    public static KeelCredentials Basic(string username, string password) =>
        new(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password))), $"user {username}");

    /// <summary>A bearer token (MLFLOW_TRACKING_TOKEN): a Keel API token or an OIDC JWT.</summary>
    public static KeelCredentials Bearer(string token) => new(new AuthenticationHeaderValue("Bearer", token), "a token");

    /// <summary>The file <c>keel login</c> writes: <c>~/.keel/credentials</c>, or KEEL_CREDENTIALS_FILE.</summary>
    public static string CredentialsFile =>
        Environment.GetEnvironmentVariable("KEEL_CREDENTIALS_FILE") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".keel", "credentials");

    /// <summary>
    /// The credentials for <paramref name="server"/>, in MLflow's order: MLFLOW_TRACKING_TOKEN, then
    /// MLFLOW_TRACKING_USERNAME with MLFLOW_TRACKING_PASSWORD, then the token <c>keel login</c> saved for
    /// that server; null when there are none (the server may not need any).
    /// </summary>
    public static KeelCredentials? FromEnvironment(Uri server)
    {
        if (Environment.GetEnvironmentVariable("MLFLOW_TRACKING_TOKEN") is { Length: > 0 } token)
        {
            return Bearer(token);
        }

        if (Environment.GetEnvironmentVariable("MLFLOW_TRACKING_USERNAME") is { Length: > 0 } username)
        {
            return Basic(username, Environment.GetEnvironmentVariable("MLFLOW_TRACKING_PASSWORD") ?? string.Empty);
        }

        return Saved(server);
    }

    /// <summary>The token <c>keel login</c> saved for <paramref name="server"/>, or null.</summary>
    public static KeelCredentials? Saved(Uri server)
    {
        try
        {
            if (!File.Exists(CredentialsFile))
            {
                return null;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(CredentialsFile));
            return document.RootElement.TryGetProperty("servers", out var servers)
                && servers.TryGetProperty(Key(server), out var entry)
                && entry.TryGetProperty("token", out var saved) && saved.GetString() is { Length: > 0 } value
                ? Bearer(value)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            // An unreadable file is no credentials; the server's 401 then says what to do.
            return null;
        }
    }

    /// <summary>How a server is named in the credentials file: its base URI without a trailing slash.</summary>
    public static string Key(Uri server) => server.AbsoluteUri.TrimEnd('/');
}
