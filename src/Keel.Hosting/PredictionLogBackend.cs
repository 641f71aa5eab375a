using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Serving.Logging;

namespace Keel.Hosting;

/// <summary>
/// Turns <c>--prediction-log URI</c> into a destination, at start, so a bad value stops the server
/// naming the option: a directory (or <c>file:///...</c>) holds JSON Lines files, the embedded
/// default under the data directory; <c>s3://bucket/prefix</c> holds Parquet objects replicas can
/// share; <c>mlflow-artifacts:</c> puts Parquet objects in the artifacts destination (local or S3).
/// Every kind keeps the log under <c>predictions/</c> of the location given.
/// </summary>
public static class PredictionLogBackend
{
    /// <summary>The option the location comes from, for messages.</summary>
    public const string Option = "--prediction-log";

    /// <summary>The value naming the artifacts destination.</summary>
    public const string ArtifactsDestination = "mlflow-artifacts:";

    /// <param name="uri">The option's value; null for the default.</param>
    /// <param name="dataDir">The data directory (the default's root).</param>
    /// <param name="artifactStore">The artifacts destination, already opened.</param>
    /// <param name="artifactsDestination">The artifacts destination's URI, for messages.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the option and what it accepts.</exception>
    public static PredictionLogDestination Open(string? uri, string dataDir, IArtifactStore artifactStore, string artifactsDestination)
    {
        ArgumentNullException.ThrowIfNull(artifactStore);
        if (uri is null)
        {
            return PredictionLogDestination.Files(dataDir);
        }

        var value = uri.Trim();
        if (string.Equals(value.TrimEnd('/'), ArtifactsDestination, StringComparison.OrdinalIgnoreCase))
        {
            return PredictionLogDestination.Parquet(artifactStore, artifactsDestination);
        }

        if (Keel.Core.Backends.BackendRegistry.SchemeOf(value) is { } scheme && scheme != "file" && KeelBackends.Registry.IsArtifactUri(value))
        {
            // Any object store the registry knows (s3://...) holds Parquet objects replicas can share.
            return PredictionLogDestination.Parquet(KeelBackends.OpenArtifacts(value, Option), uri);
        }

        if (value.Length > 0 && !value.Any(char.IsControl))
        {
            try
            {
                var location = ArtifactUri.Parse(value);
                if (location.Kind == ArtifactUriKind.Local && location.LocalPath is { Length: > 0 } path)
                {
                    return PredictionLogDestination.Files(Path.GetFullPath(path));
                }
            }
            catch (Exception e) when (e is KeelException or ArgumentException or NotSupportedException or PathTooLongException)
            {
                // Refused below with the option's rule.
            }
        }

        throw KeelException.InvalidParameter(
            $"Unsupported prediction log location '{uri}' ({Option}): expected a directory path or file:///<absolute path> (JSON Lines files), "
            + $"s3://<bucket>/<prefix> (Parquet objects) or {ArtifactsDestination} (Parquet objects in the artifacts destination).");
    }
}
