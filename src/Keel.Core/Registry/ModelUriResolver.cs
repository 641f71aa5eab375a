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
        ModelVersion version;
        switch (parsed.Kind)
        {
            case ModelUriKind.Run:
                return new ResolvedModel(await RunArtifactUriAsync(tracking, parsed, cancellationToken).ConfigureAwait(false), null);
            case ModelUriKind.Version:
                version = await registry.GetModelVersionAsync(parsed.Name, parsed.Version!.Value, cancellationToken).ConfigureAwait(false);
                break;
            case ModelUriKind.Alias:
                version = await registry.GetModelVersionByAliasAsync(parsed.Name, parsed.Alias!, cancellationToken).ConfigureAwait(false);
                break;
            default:
                IReadOnlyList<ModelStage> stages = parsed.Kind == ModelUriKind.Stage ? [parsed.Stage!.Value] : [];
                var latest = await registry.GetLatestVersionsAsync(parsed.Name, stages, cancellationToken).ConfigureAwait(false);
                version = latest.MaxBy(v => v.Version) ?? throw KeelException.NotFound(parsed.Kind == ModelUriKind.Stage
                    ? $"No versions of model with name '{parsed.Name}' and stage '{parsed.Stage!.Value.ToWire()}' found"
                    : $"No versions of model with name '{parsed.Name}' found");
                break;
        }

        var source = version.Source;
        if (source.StartsWith(RunsScheme, StringComparison.Ordinal))
        {
            source = await RunArtifactUriAsync(tracking, ModelUri.Parse(source), cancellationToken).ConfigureAwait(false);
        }

        return new ResolvedModel(source, version);
    }

    private static async Task<string> RunArtifactUriAsync(ITrackingStore tracking, ModelUri run, CancellationToken cancellationToken)
    {
        var info = (await tracking.GetRunAsync(run.RunId!, cancellationToken).ConfigureAwait(false)).Info;
        var root = info.ArtifactUri.TrimEnd('/');
        return string.IsNullOrEmpty(run.Path) ? root : root + "/" + run.Path;
    }
}
