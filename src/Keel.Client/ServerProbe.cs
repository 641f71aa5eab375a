namespace Keel.Client;

/// <summary>What <see cref="KeelClient.ProbeAsync"/> found at a tracking server, for <c>keel doctor</c>.</summary>
/// <param name="Latency">How long the health endpoint took to answer.</param>
/// <param name="KeelVersion">Keel's version (<c>GET /api/2.0/keel/version</c>); null when the server is not Keel (an MLflow server).</param>
/// <param name="MlflowVersion">The MLflow protocol version the server speaks (<c>GET /version</c>); null when it gives none.</param>
/// <param name="HasCredentials">True when this client sent credentials (a token, a user name, a saved <c>keel login</c>).</param>
/// <param name="SignIn">How an authenticated read went.</param>
public sealed record ServerProbe(TimeSpan Latency, string? KeelVersion, string? MlflowVersion, bool HasCredentials, ServerSignIn SignIn);

/// <summary>How an authenticated read (a one-experiment search) went.</summary>
public enum ServerSignIn
{
    /// <summary>It was answered: the server needs no sign-in, or the credentials sent were accepted.</summary>
    Accepted,

    /// <summary>401: the server needs a sign-in and none (or an expired one) was sent.</summary>
    Required,

    /// <summary>403: signed in, but without permission to read experiments.</summary>
    NoPermission,
}
