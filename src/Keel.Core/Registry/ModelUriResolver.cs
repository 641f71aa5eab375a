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
    private const string RunsScheme = "runs:/";
    private const string ModelsScheme = "models:/";
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
            return new ResolvedModel(await RunArtifactUriAsync(tracking, parsed, cancellationToken).ConfigureAwait(false), null);
        }

        var version = await FindVersionAsync(registry, parsed, cancellationToken).ConfigureAwait(false);
        var location = version.DownloadUri;

        // A copy registered from a models:/ URI over a store that does not keep the resolved location
        // (the REST client) is followed to the version it names; copies of copies are few.
        for (var hops = 0; location.StartsWith(ModelsScheme, StringComparison.Ordinal) && hops < MaxHops; hops++)
        {
            location = (await FindVersionAsync(registry, ModelUri.Parse(location), cancellationToken).ConfigureAwait(false)).DownloadUri;
        }

        if (location.StartsWith(RunsScheme, StringComparison.Ordinal))
        {
            location = await RunArtifactUriAsync(tracking, ModelUri.Parse(location), cancellationToken).ConfigureAwait(false);
        }

        return new ResolvedModel(location, version);
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

    private static async Task<string> RunArtifactUriAsync(ITrackingStore tracking, ModelUri run, CancellationToken cancellationToken)
    {
        var info = (await tracking.GetRunAsync(run.RunId!, cancellationToken).ConfigureAwait(false)).Info;
        var root = info.ArtifactUri.TrimEnd('/');
        return string.IsNullOrEmpty(run.Path) ? root : root + "/" + run.Path;
    }
}
