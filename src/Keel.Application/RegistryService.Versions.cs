using Keel.Application.Validation;
using Keel.Compute.Search;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Registry;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Keel.Core.Wire;

namespace Keel.Application;

// Model versions and model-URI resolution.
public sealed partial class RegistryService
{
    public async Task<ModelVersion> CreateModelVersionAsync(
        string? name, string? source, string? runId, IReadOnlyList<Tag>? tags, string? runLink, string? description, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var checkedSource = Ids.Require(source, "source");
        var checkedTags = tags ?? [];
        foreach (var tag in checkedTags)
        {
            RegistryRules.CheckTag("Model version", tag.Key, tag.Value);
        }

        await CheckSourceAsync(checkedSource, runId, cancellationToken).ConfigureAwait(false);
        var location = await StorageLocationAsync(checkedSource, cancellationToken).ConfigureAwait(false);
        // Unset strings are the proto default "" in MLflow's handler, and are printed back as such.
        var version = new NewModelVersion(modelName, checkedSource, runId ?? string.Empty, checkedTags, runLink ?? string.Empty, description ?? string.Empty, actor)
        {
            StorageLocation = location,
        };
        var created = await _store.CreateModelVersionAsync(version, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "model_version.create", VersionType, VersionResource(modelName, created.Version), null, VersionJson(created)).ConfigureAwait(false);
        return created;
    }

    /// <summary>
    /// Registers <paramref name="source"/> as the next version of <paramref name="name"/>, creating the
    /// registered model first when it does not exist yet (what MLflow's <c>register_model</c> does).
    /// </summary>
    public async Task<ModelVersion> RegisterModelAsync(string? name, string? source, string? runId, string? actor, CancellationToken cancellationToken = default)
    {
        try
        {
            await CreateRegisteredModelAsync(name, null, null, actor, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceAlreadyExists)
        {
            // A new version of an existing model.
        }

        return await CreateModelVersionAsync(name, source, runId, null, null, null, actor, cancellationToken).ConfigureAwait(false);
    }

    public Task<ModelVersion> GetModelVersionAsync(string? name, string? version, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        return _store.GetModelVersionAsync(modelName, RegistryRules.RequireVersion(version), cancellationToken);
    }

    public async Task<ModelVersion> UpdateModelVersionAsync(string? name, string? version, string? description, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var number = RegistryRules.RequireVersion(version);
        var before = await _store.GetModelVersionAsync(modelName, number, cancellationToken).ConfigureAwait(false);
        var updated = await _store.UpdateModelVersionAsync(modelName, number, description ?? string.Empty, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "model_version.update", VersionType, VersionResource(modelName, number), VersionJson(before), VersionJson(updated)).ConfigureAwait(false);
        return updated;
    }

    public async Task DeleteModelVersionAsync(string? name, string? version, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var number = RegistryRules.RequireVersion(version);
        var before = await _store.GetModelVersionAsync(modelName, number, cancellationToken).ConfigureAwait(false);
        await _store.DeleteModelVersionAsync(modelName, number, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "model_version.delete", VersionType, VersionResource(modelName, number), VersionJson(before), null).ConfigureAwait(false);
    }

    public async Task<PagedList<ModelVersion>> SearchModelVersionsAsync(
        string? filter, IReadOnlyList<string>? orderBy, long? maxResults, string? pageToken, CancellationToken cancellationToken = default)
    {
        var max = RegistryRules.MaxResults(maxResults, RequestLimits.DefaultVersionSearchResults, RequestLimits.MaxVersionSearchResults);
        var offset = PageToken.Decode(pageToken);
        var query = new ModelVersionQuery(
            SearchFilterParser.ParseModelVersionFilter(filter),
            SearchFilterParser.ParseModelVersionOrderBy(orderBy),
            offset,
            max,
            string.IsNullOrWhiteSpace(filter) ? null : filter,
            orderBy is { Count: > 0 } ? orderBy : null);
        var page = await _store.SearchModelVersionsAsync(query, cancellationToken).ConfigureAwait(false);
        return new PagedList<ModelVersion>(page.Items, PageToken.After(offset, page));
    }

    public async Task<ModelVersion> TransitionStageAsync(string? name, string? version, string? stage, bool? archiveExistingVersions, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var number = RegistryRules.RequireVersion(version);
        var target = ModelStages.Parse(Ids.Require(stage, "stage"));
        if (archiveExistingVersions is not { } archive)
        {
            throw KeelException.MissingParameter("archive_existing_versions");
        }

        var before = await _store.GetModelVersionAsync(modelName, number, cancellationToken).ConfigureAwait(false);
        var moved = await _store.TransitionStageAsync(modelName, number, target, archive, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "model_version.stage", VersionType, VersionResource(modelName, number), VersionJson(before), VersionJson(moved)).ConfigureAwait(false);
        return moved;
    }

    /// <summary>
    /// MLflow answers get-download-uri with where the version's artifacts are stored: its source as
    /// registered, or for a copy made from a <c>models:/</c> URI, the location of the version copied.
    /// </summary>
    public async Task<string> GetDownloadUriAsync(string? name, string? version, CancellationToken cancellationToken = default) =>
        (await GetModelVersionAsync(name, version, cancellationToken).ConfigureAwait(false)).DownloadUri;

    /// <summary>The artifact URI a version's files are read from, with <c>runs:/</c> and <c>models:/</c> followed.</summary>
    public async Task<string> GetArtifactLocationAsync(string? name, string? version, CancellationToken cancellationToken = default)
    {
        var found = await GetModelVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
        return await ModelUriResolver.LocationAsync(_store, _tracking, found, cancellationToken).ConfigureAwait(false);
    }

    public async Task SetModelVersionTagAsync(string? name, string? version, string? key, string? value, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var number = RegistryRules.RequireVersion(version);
        RegistryRules.CheckTag("Model version", key, value);
        var before = await _store.GetModelVersionAsync(modelName, number, cancellationToken).ConfigureAwait(false);
        await _store.SetModelVersionTagAsync(modelName, number, new Tag(key!, value!), actor, cancellationToken).ConfigureAwait(false);
        await ReportVersionAsync(actor, "model_version.tag.set", modelName, before, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteModelVersionTagAsync(string? name, string? version, string? key, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var number = RegistryRules.RequireVersion(version);
        KeyRules.ValidateTagKey(key);
        var before = await _store.GetModelVersionAsync(modelName, number, cancellationToken).ConfigureAwait(false);
        await _store.DeleteModelVersionTagAsync(modelName, number, key!, actor, cancellationToken).ConfigureAwait(false);
        await ReportVersionAsync(actor, "model_version.tag.delete", modelName, before, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resolves a model URI (<see cref="ModelUri"/>) to where its artifacts live, with the version it
    /// named; an alias is checked against the alias rules first.
    /// </summary>
    public Task<ResolvedModel> ResolveModelUriAsync(string? uri, CancellationToken cancellationToken = default)
    {
        var parsed = ModelUri.Parse(uri);
        if (parsed.Kind == ModelUriKind.Alias)
        {
            RegistryRules.RequireAlias(parsed.Alias);
        }

        return ModelUriResolver.ResolveAsync(_store, _tracking, uri, cancellationToken);
    }

    /// <summary>
    /// A source naming another registered version (<c>models:/name/1</c>, as copy_model_version sends)
    /// is resolved now, once, to where that version's artifacts are; null for any other source.
    /// </summary>
    private async Task<string?> StorageLocationAsync(string source, CancellationToken cancellationToken)
    {
        if (!source.StartsWith("models:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var target = await ModelUriResolver.FindVersionAsync(_store, ModelUri.Parse(source), cancellationToken).ConfigureAwait(false);
            return target.DownloadUri;
        }
        catch (KeelException e) when (e.Code is ErrorCode.InvalidParameterValue or ErrorCode.ResourceDoesNotExist)
        {
            throw KeelException.InvalidParameter($"Unable to fetch model from model URI source artifact location '{source}'. Error: {e.Message}");
        }
    }

    private async Task CheckSourceAsync(string source, string? runId, CancellationToken cancellationToken)
    {
        if (!RegistryRules.IsLocal(source))
        {
            RegistryRules.CheckNoRelativeSegments(source);
            return;
        }

        if (!string.IsNullOrEmpty(runId))
        {
            var run = await _tracking.GetRunAsync(Ids.RequireRunId(runId), cancellationToken).ConfigureAwait(false);
            if (RegistryRules.IsLocal(run.Info.ArtifactUri))
            {
                var sourcePath = RegistryRules.LocalPath(source).TrimEnd(Path.DirectorySeparatorChar);
                var runDir = RegistryRules.LocalPath(run.Info.ArtifactUri).TrimEnd(Path.DirectorySeparatorChar);
                if (sourcePath == runDir || sourcePath.StartsWith(runDir + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    return;
                }
            }
        }

        throw RegistryRules.LocalSourceRejected(source);
    }
}
