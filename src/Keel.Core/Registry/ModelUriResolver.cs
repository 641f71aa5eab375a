using Keel.Core.Errors;
using Keel.Core.Tracking;

namespace Keel.Core.Registry;

/// <summary>
/// Resolves a model URI over the ports, so the application service and the SDK share one
/// implementation: a version's source (a <c>runs:/</c> source resolved through the tracking store
/// to the run's artifact URI), or a run's artifact URI plus path.
/// </summary>
public static class ModelUriResolver
{
    private const int MaxHops = 8;

    /// <summary>Resolves a model URI to the artifact URI of its files and, for <c>models:/</c>, the version it names.</summary>
    /// <param name="registry">The registry to look versions, aliases and stages up in.</param>
    /// <param name="tracking">The tracking store, for <c>runs:/</c> URIs and sources.</param>
    /// <param name="uri">The model URI.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for a malformed URI; RESOURCE_DOES_NOT_EXIST for an unknown model, version, alias, run, or a stage with no version.</exception>
    public static async Task<ResolvedModel> ResolveAsync(IModelRegistryStore registry, ITrackingStore tracking, string? uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(tracking);
        var parsed = ModelUri.Parse(uri);
        if (parsed.Kind == ModelUriKind.Run)
        {
            return new ResolvedModel(await RunLocationAsync(tracking, parsed, cancellationToken).ConfigureAwait(false), null);
        }

        var version = await FindVersionAsync(registry, parsed, cancellationToken).ConfigureAwait(false);
        return new ResolvedModel(await LocationAsync(registry, tracking, version, cancellationToken).ConfigureAwait(false), version);
    }

    /// <summary>
    /// Where a version's files are: its download URI, with a <c>runs:/</c> source resolved through the
    /// tracking store and a <c>models:/</c> copy (over a store that does not keep the resolved location,
    /// the REST client) followed to the version it names. A version already fetched is not fetched again.
    /// </summary>
    /// <param name="registry">The registry, for <c>models:/</c> copies.</param>
    /// <param name="tracking">The tracking store, for <c>runs:/</c> sources.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for a chain of copies longer than 8.</exception>
    public static async Task<string> LocationAsync(IModelRegistryStore registry, ITrackingStore tracking, ModelVersion version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(tracking);
        ArgumentNullException.ThrowIfNull(version);
        var location = version.DownloadUri;
        for (var hops = 0; ModelUri.IsModelUri(location); hops++)
        {
            var next = ModelUri.Parse(location);
            if (next.Kind == ModelUriKind.Run)
            {
                return await RunLocationAsync(tracking, next, cancellationToken).ConfigureAwait(false);
            }

            if (hops == MaxHops)
            {
                throw KeelException.InvalidParameter($"Version {version.Version} of model '{version.Name}' is a copy of a copy more than {MaxHops} times over ('{location}'); register it from its artifact location instead.");
            }

            location = (await FindVersionAsync(registry, next, cancellationToken).ConfigureAwait(false)).DownloadUri;
        }

        return location;
    }

    /// <summary>The registry version a <c>models:/</c> URI names now (a version, an alias, a stage's or the overall latest).</summary>
    public static async Task<ModelVersion> FindVersionAsync(IModelRegistryStore registry, ModelUri parsed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(parsed);
        switch (parsed.Kind)
        {
            case ModelUriKind.Run:
                throw KeelException.InvalidParameter($"A runs:/ URI does not name a registered model version (run {parsed.RunId}).");
            case ModelUriKind.Version:
                return await registry.GetModelVersionAsync(parsed.Name, parsed.Version!.Value, cancellationToken).ConfigureAwait(false);
            case ModelUriKind.Alias:
                return await registry.GetModelVersionByAliasAsync(parsed.Name, parsed.Alias!, cancellationToken).ConfigureAwait(false);
            default:
                IReadOnlyList<ModelStage> stages = parsed.Kind == ModelUriKind.Stage ? [parsed.Stage!.Value] : [];
                var latest = await registry.GetLatestVersionsAsync(parsed.Name, stages, cancellationToken).ConfigureAwait(false);
                return latest.MaxBy(v => v.Version) ?? throw KeelException.NotFound(parsed.Kind == ModelUriKind.Stage
                    ? $"No versions of model with name '{parsed.Name}' and stage '{parsed.Stage!.Value.ToWire()}' found"
                    : $"No versions of model with name '{parsed.Name}' found");
        }
    }

    private static async Task<string> RunLocationAsync(ITrackingStore tracking, ModelUri run, CancellationToken cancellationToken)
    {
        var info = (await tracking.GetRunAsync(run.RunId!, cancellationToken).ConfigureAwait(false)).Info;
        return Artifacts.ArtifactUri.Parse(info.ArtifactUri).Append(run.Path ?? string.Empty);
    }
}
