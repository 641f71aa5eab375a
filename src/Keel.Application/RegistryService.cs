using Keel.Application.Validation;
using Keel.Compute.Search;
using Keel.Core.Governance;
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
    private readonly IAuditSink _audit;

    /// <param name="store">The registry store.</param>
    /// <param name="tracking">The tracking store (sources and <c>runs:/</c> URIs).</param>
    /// <param name="audit">Where every change is reported, before and after; none when null.</param>
    public RegistryService(IModelRegistryStore store, ITrackingStore tracking, IAuditSink? audit = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(tracking);
        _store = store;
        _tracking = tracking;
        _audit = audit ?? NullAuditSink.Instance;
    }

    public async Task<RegisteredModel> CreateRegisteredModelAsync(string? name, IReadOnlyList<Tag>? tags, string? description, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var checkedTags = tags ?? [];
        foreach (var tag in checkedTags)
        {
            RegistryRules.CheckTag("Registered model", tag.Key, tag.Value);
        }

        // MLflow passes the proto default, so an unset description is stored and printed as "".
        var created = await _store.CreateRegisteredModelAsync(modelName, checkedTags, description ?? string.Empty, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "registered_model.create", ModelType, modelName, null, ModelJson(created)).ConfigureAwait(false);
        return created;
    }

    public Task<RegisteredModel> GetRegisteredModelAsync(string? name, CancellationToken cancellationToken = default) =>
        _store.GetRegisteredModelAsync(RegistryRules.RequireName(name), cancellationToken);

    public async Task<RegisteredModel> RenameRegisteredModelAsync(string? name, string? newName, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var target = RegistryRules.RequireName(newName, "new_name");
        var before = await _store.GetRegisteredModelAsync(modelName, cancellationToken).ConfigureAwait(false);
        var renamed = await _store.RenameRegisteredModelAsync(modelName, target, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "registered_model.rename", ModelType, modelName, ModelJson(before), ModelJson(renamed)).ConfigureAwait(false);
        return renamed;
    }

    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string? name, string? description, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var before = await _store.GetRegisteredModelAsync(modelName, cancellationToken).ConfigureAwait(false);
        var updated = await _store.UpdateRegisteredModelAsync(modelName, description ?? string.Empty, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "registered_model.update", ModelType, modelName, ModelJson(before), ModelJson(updated)).ConfigureAwait(false);
        return updated;
    }

    public async Task DeleteRegisteredModelAsync(string? name, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var before = await _store.GetRegisteredModelAsync(modelName, cancellationToken).ConfigureAwait(false);
        await _store.DeleteRegisteredModelAsync(modelName, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "registered_model.delete", ModelType, modelName, ModelJson(before), null).ConfigureAwait(false);
    }

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

    public async Task SetRegisteredModelTagAsync(string? name, string? key, string? value, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        RegistryRules.CheckTag("Registered model", key, value);
        var before = await _store.GetRegisteredModelAsync(modelName, cancellationToken).ConfigureAwait(false);
        await _store.SetRegisteredModelTagAsync(modelName, new Tag(key!, value!), actor, cancellationToken).ConfigureAwait(false);
        await ReportModelAsync(actor, "registered_model.tag.set", modelName, before, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteRegisteredModelTagAsync(string? name, string? key, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        KeyRules.ValidateTagKey(key);
        var before = await _store.GetRegisteredModelAsync(modelName, cancellationToken).ConfigureAwait(false);
        await _store.DeleteRegisteredModelTagAsync(modelName, key!, actor, cancellationToken).ConfigureAwait(false);
        await ReportModelAsync(actor, "registered_model.tag.delete", modelName, before, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Points an alias at a version; reported as <c>registered_model.alias.set</c> on <c>model@alias</c> with the version before and after.</summary>
    public async Task SetAliasAsync(string? name, string? alias, string? version, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var aliasName = RegistryRules.RequireAlias(alias);
        var number = RegistryRules.RequireVersion(version);
        await GateAliasAsync("registered_model.alias.set", modelName, aliasName, number, actor, cancellationToken).ConfigureAwait(false);
        var before = await AliasVersionAsync(modelName, aliasName, cancellationToken).ConfigureAwait(false);
        await _store.SetAliasAsync(modelName, aliasName, number, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "registered_model.alias.set", ModelType, modelName + "@" + aliasName, AliasJson(modelName, aliasName, before), AliasJson(modelName, aliasName, number.ToString(System.Globalization.CultureInfo.InvariantCulture))).ConfigureAwait(false);
    }

    public async Task DeleteAliasAsync(string? name, string? alias, string? actor, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        var aliasName = RegistryRules.RequireAlias(alias);
        await GateAliasAsync("registered_model.alias.delete", modelName, aliasName, null, actor, cancellationToken).ConfigureAwait(false);
        var before = await AliasVersionAsync(modelName, aliasName, cancellationToken).ConfigureAwait(false);
        await _store.DeleteAliasAsync(modelName, aliasName, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "registered_model.alias.delete", ModelType, modelName + "@" + aliasName, AliasJson(modelName, aliasName, before), null).ConfigureAwait(false);
    }

    private const string ModelType = "registered_model";
    private const string VersionType = "model_version";

    private static string ModelJson(RegisteredModel model) => RegistryWireMapping.SnapshotJson(RegistrySnapshot.Of(model))!;

    private static string VersionJson(ModelVersion version) => RegistryWireMapping.SnapshotJson(RegistrySnapshot.Of(version))!;

    private static string? AliasJson(string model, string alias, string? version) =>
        version is null ? null : AuditJson.Object(("name", model), ("alias", alias), ("version", version));

    private async Task<string?> AliasVersionAsync(string model, string alias, CancellationToken cancellationToken) =>
        (await _store.GetRegisteredModelAsync(model, cancellationToken).ConfigureAwait(false)).Aliases.FirstOrDefault(a => a.Alias == alias)?.Version;

    private async Task ReportModelAsync(string? actor, string action, string model, RegisteredModel before, CancellationToken cancellationToken)
    {
        var after = await _store.GetRegisteredModelAsync(model, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, action, ModelType, model, ModelJson(before), ModelJson(after)).ConfigureAwait(false);
    }

    private async Task ReportVersionAsync(string? actor, string action, string model, ModelVersion before, CancellationToken cancellationToken)
    {
        var after = await _store.GetModelVersionAsync(model, before.Version, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, action, VersionType, VersionResource(model, before.Version), VersionJson(before), VersionJson(after)).ConfigureAwait(false);
    }

    private static string VersionResource(string model, long version) => model + "/" + version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Task<ModelVersion> GetModelVersionByAliasAsync(string? name, string? alias, CancellationToken cancellationToken = default)
    {
        var modelName = RegistryRules.RequireName(name);
        return _store.GetModelVersionByAliasAsync(modelName, RegistryRules.RequireAlias(alias), cancellationToken);
    }

    /// <summary>Keel's audit trail, newest first (at most <see cref="RequestLimits.MaxEvents"/> events, <see cref="RequestLimits.DefaultEvents"/> by default).</summary>
    public Task<IReadOnlyList<RegistryEvent>> ListEventsAsync(string? name, long? maxResults, CancellationToken cancellationToken = default) =>
        _store.ListEventsAsync(string.IsNullOrEmpty(name) ? null : name, RegistryRules.MaxResults(maxResults, RequestLimits.DefaultEvents, RequestLimits.MaxEvents), cancellationToken);
}
