using Keel.Application.Validation;
using Keel.Compute.Search;
using Keel.Core.Registry;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Keel.Core.Wire;

namespace Keel.Application;

/// <summary>
/// Model-registry use cases over <see cref="IModelRegistryStore"/>: arguments are checked and
/// defaulted here once, with MLflow 2.12.2's rules and wording, so stores may assume valid input.
/// <c>actor</c> arguments name who asked (from the X-Keel-User header for now) for the audit trail.
/// The tracking store is needed to check local sources against a run and to resolve <c>runs:/</c> URIs.
/// </summary>
public sealed partial class RegistryService
{
    private readonly IModelRegistryStore _store;
    private readonly ITrackingStore _tracking;

    public RegistryService(IModelRegistryStore store, ITrackingStore tracking)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tracking);
        _store = store;
        _tracking = tracking;
    }

    public Task<RegisteredModel> CreateRegisteredModelAsync(string? name, IReadOnlyList<Tag>? tags, string? description, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var checkedTags = tags ?? [];
        foreach (var tag in checkedTags)
        {
            RegistryRules.CheckTag("Registered model", tag.Key, tag.Value);
        }

        // MLflow passes the proto default, so an unset description is stored and printed as "".
        return _store.CreateRegisteredModelAsync(modelName, checkedTags, description ?? string.Empty, actor, cancellationToken);
    }

    public Task<RegisteredModel> GetRegisteredModelAsync(string? name, CancellationToken cancellationToken = default) =>
        _store.GetRegisteredModelAsync(RegistryRules.RequireName(name), cancellationToken);

    public Task<RegisteredModel> RenameRegisteredModelAsync(string? name, string? newName, string? actor, CancellationToken cancellationToken = default) =>
        _store.RenameRegisteredModelAsync(RegistryRules.RequireName(name), RegistryRules.RequireName(newName, "new_name"), actor, cancellationToken);

    public Task<RegisteredModel> UpdateRegisteredModelAsync(string? name, string? description, string? actor, CancellationToken cancellationToken = default) =>
        _store.UpdateRegisteredModelAsync(RegistryRules.RequireName(name), description ?? string.Empty, actor, cancellationToken);

    public Task DeleteRegisteredModelAsync(string? name, string? actor, CancellationToken cancellationToken = default) =>
        _store.DeleteRegisteredModelAsync(RegistryRules.RequireName(name), actor, cancellationToken);

    public async Task<PagedList<RegisteredModel>> SearchRegisteredModelsAsync(
        string? filter, IReadOnlyList<string>? orderBy, long? maxResults, string? pageToken, CancellationToken cancellationToken = default)
    {
        var max = RegistryRules.MaxResults(maxResults, RequestLimits.DefaultModelSearchResults, RequestLimits.MaxModelSearchResults);
        var offset = PageToken.Decode(pageToken);
        var query = new RegisteredModelQuery(
            SearchFilterParser.ParseRegisteredModelFilter(filter),
            SearchFilterParser.ParseRegisteredModelOrderBy(orderBy),
            offset,
            max,
            string.IsNullOrWhiteSpace(filter) ? null : filter,
            orderBy is { Count: > 0 } ? orderBy : null);
        var page = await _store.SearchRegisteredModelsAsync(query, cancellationToken).ConfigureAwait(false);
        return new PagedList<RegisteredModel>(page.Items, PageToken.After(offset, page));
    }

    public Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string? name, IReadOnlyList<string>? stages, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var parsed = (stages ?? []).Select(ModelStages.Parse).Distinct().ToList();
        return _store.GetLatestVersionsAsync(modelName, parsed, cancellationToken);
    }

    public Task SetRegisteredModelTagAsync(string? name, string? key, string? value, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        RegistryRules.CheckTag("Registered model", key, value);
        return _store.SetRegisteredModelTagAsync(modelName, new Tag(key!, value!), actor, cancellationToken);
    }

    public Task DeleteRegisteredModelTagAsync(string? name, string? key, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        KeyRules.ValidateTagKey(key);
        return _store.DeleteRegisteredModelTagAsync(modelName, key!, actor, cancellationToken);
    }

    public async Task SetAliasAsync(string? name, string? alias, string? version, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var aliasName = RegistryRules.RequireAlias(alias);
        var number = RegistryRules.RequireVersion(version);
        await GateAliasAsync("registered_model.alias.set", modelName, aliasName, number, actor, cancellationToken).ConfigureAwait(false);
        await _store.SetAliasAsync(modelName, aliasName, number, actor, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAliasAsync(string? name, string? alias, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var aliasName = RegistryRules.RequireAlias(alias);
        await GateAliasAsync("registered_model.alias.delete", modelName, aliasName, null, actor, cancellationToken).ConfigureAwait(false);
        await _store.DeleteAliasAsync(modelName, aliasName, actor, cancellationToken).ConfigureAwait(false);
    }

    public Task<ModelVersion> GetModelVersionByAliasAsync(string? name, string? alias, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        return _store.GetModelVersionByAliasAsync(modelName, RegistryRules.RequireAlias(alias), cancellationToken);
    }

    /// <summary>Keel's audit trail, newest first (at most <see cref="RequestLimits.MaxEvents"/> events, <see cref="RequestLimits.DefaultEvents"/> by default).</summary>
    public Task<IReadOnlyList<RegistryEvent>> ListEventsAsync(string? name, long? maxResults, CancellationToken cancellationToken = default) =>
        _store.ListEventsAsync(string.IsNullOrEmpty(name) ? null : name, RegistryRules.MaxResults(maxResults, RequestLimits.DefaultEvents, RequestLimits.MaxEvents), cancellationToken);
}
