using Keel.Core.Configuration;

namespace Keel.Client;

/// <summary>
/// Resolves which tracking server to use, the way MLflow tools do: an explicit value first, then
/// <c>KEEL_TRACKING_URI</c>, then <c>MLFLOW_TRACKING_URI</c> (so existing MLflow setups just work).
/// </summary>
public static class TrackingUri
{
    /// <summary>Keel's own environment variable.</summary>
    public const string KeelVariable = KeelEnvironment.TrackingUri;

    /// <summary>MLflow's environment variable, honoured for compatibility.</summary>
    public const string MlflowVariable = KeelEnvironment.MlflowTrackingUri;

    /// <summary>Returns the first non-empty of <paramref name="explicitUri"/>, KEEL_TRACKING_URI, MLFLOW_TRACKING_URI; null if none is set.</summary>
    /// <param name="explicitUri">A URI given on the command line or in code, or null.</param>
    public static string? Resolve(string? explicitUri = null) => Resolve(explicitUri, out _);

    /// <summary>Like <see cref="Resolve(string?)"/>, and says which environment variable the URI came from.</summary>
    /// <param name="explicitUri">A URI given on the command line or in code, or null.</param>
    /// <param name="variable">KEEL_TRACKING_URI or MLFLOW_TRACKING_URI when the URI came from one; null for the explicit value or none.</param>
    public static string? Resolve(string? explicitUri, out string? variable)
    {
        variable = null;
        if (!string.IsNullOrWhiteSpace(explicitUri))
        {
            return explicitUri.Trim();
        }

        foreach (var name in new[] { KeelVariable, MlflowVariable })
        {
            if (KeelEnvironment.Text(name) is { } value)
            {
                variable = name;
                return value;
            }
        }

        return null;
    }

    /// <summary>True if <paramref name="uri"/> names a remote server (http or https), as opposed to an embedded store.</summary>
    /// <param name="uri">The tracking URI, or null.</param>
    /// <param name="remote">The parsed server URI when remote; null otherwise.</param>
    public static bool IsRemote(string? uri, out Uri? remote)
    {
        remote = null;
        if (uri is not null
            && Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
            && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
        {
            remote = parsed;
            return true;
        }

        return false;
    }
}
