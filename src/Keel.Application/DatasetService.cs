using Keel.Application.Validation;
using Keel.Core.Artifacts;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Tracking;
using Keel.Data.Content;
using Keel.Data.Validation;

namespace Keel.Application;

/// <summary>
/// The versioned-dataset use cases over <see cref="IDatasetStore"/>: arguments are checked here (names,
/// aliases, versions, documents), moving URIs (<c>@latest</c>, <c>@alias</c>) are resolved to a
/// version, and a new version's manifest must already be in the artifact store before any row points
/// at it (objects first, then the reference that makes them reachable).
/// </summary>
public sealed class DatasetService
{
    private readonly IDatasetStore _store;
    private readonly IArtifactStore? _artifacts;
    private readonly IAuditSink _audit;

    /// <param name="store">The dataset store.</param>
    /// <param name="artifacts">
    /// The artifact store a new version's manifest must already be in; null skips that check (a
    /// client over a server, which checks it itself).
    /// </param>
    /// <param name="audit">Where every change is reported, before and after; none when null.</param>
    public DatasetService(IDatasetStore store, IArtifactStore? artifacts = null, IAuditSink? audit = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _artifacts = artifacts;
        _audit = audit ?? NullAuditSink.Instance;
    }

    /// <summary>The store the service works on.</summary>
    public IDatasetStore Store => _store;

    /// <summary>Records a version unless the content equals the latest's.</summary>
    public async Task<AddedDatasetVersion> AddVersionAsync(NewDatasetVersion version, string? actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(version);
        var checkedVersion = VersionedDatasetRules.Check(version);
        if (_artifacts is not null && !await ContentPaths.ManifestExistsAsync(_artifacts, checkedVersion.ManifestDigest, cancellationToken).ConfigureAwait(false))
        {
            throw KeelException.InvalidParameter(
                $"Invalid manifest_digest '{checkedVersion.ManifestDigest}': the artifact store has no such manifest. Upload the content (keel data add or the SDK) before recording the version.");
        }

        var added = await _store.AddVersionAsync(checkedVersion, actor, cancellationToken).ConfigureAwait(false);
        if (added.Created)
        {
            var v = added.Version;
            await _audit.ReportAsync(actor, "dataset.version.create", "dataset_version", v.Name + "/" + v.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), null, VersionJson(v)).ConfigureAwait(false);
        }

        return added;
    }

    /// <summary>Records a version from the API's request body, naming the first missing field.</summary>
    public Task<AddedDatasetVersion> AddVersionAsync(string? name, Keel.Core.Wire.AddDatasetVersionRequest request, string? actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = new NewDatasetVersion(
            VersionedDatasetRules.Name(name),
            VersionedDatasetRules.Digest(request.ManifestDigest),
            request.Format ?? throw KeelException.MissingParameter("format"),
            request.FileCount ?? throw KeelException.MissingParameter("file_count"),
            request.SizeBytes ?? throw KeelException.MissingParameter("size_bytes"),
            request.RowCount, request.Schema, request.Profile, request.Validation, request.Source, request.Description, request.DatasetDescription);
        return AddVersionAsync(version, actor, cancellationToken);
    }

    public async Task<VersionedDataset> GetAsync(string? name, CancellationToken cancellationToken) =>
        await _store.FindDatasetAsync(VersionedDatasetRules.Name(name), cancellationToken).ConfigureAwait(false) ?? throw NotFound(name!);

    public Task<PagedList<VersionedDataset>> ListAsync(int? maxResults, string? pageToken, CancellationToken cancellationToken) =>
        _store.ListDatasetsAsync(VersionedDatasetRules.Page(maxResults), pageToken, cancellationToken);

    public async Task<DatasetVersion> GetVersionAsync(string? name, long? version, CancellationToken cancellationToken)
    {
        var dataset = VersionedDatasetRules.Name(name);
        var number = VersionedDatasetRules.Version(version);
        return await _store.FindVersionAsync(dataset, number, cancellationToken).ConfigureAwait(false)
            ?? throw (await _store.FindDatasetAsync(dataset, cancellationToken).ConfigureAwait(false) is null
                ? NotFound(dataset)
                : KeelException.NotFound($"Dataset '{dataset}' has no version {number}."));
    }

    public Task<DatasetVersion> GetVersionAsync(string? name, string? version, CancellationToken cancellationToken) =>
        GetVersionAsync(name, VersionedDatasetRules.Version(version), cancellationToken);

    public Task<PagedList<DatasetVersion>> ListVersionsAsync(string? name, int? maxResults, string? pageToken, CancellationToken cancellationToken) =>
        _store.ListVersionsAsync(VersionedDatasetRules.Name(name), VersionedDatasetRules.Page(maxResults), pageToken, cancellationToken);

    public async Task<DatasetVersion> GetVersionByAliasAsync(string? name, string? alias, CancellationToken cancellationToken)
    {
        var dataset = await GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (string.Equals(alias, "latest", StringComparison.OrdinalIgnoreCase))
        {
            return await LatestAsync(dataset, cancellationToken).ConfigureAwait(false);
        }

        var checkedAlias = VersionedDatasetRules.Alias(alias);
        return dataset.Aliases.TryGetValue(checkedAlias, out var version)
            ? await GetVersionAsync(dataset.Name, version, cancellationToken).ConfigureAwait(false)
            : throw KeelException.NotFound($"Dataset '{dataset.Name}' has no alias '{checkedAlias}'.");
    }

    /// <summary>
    /// The version a dataset URI names now: <c>datasets:/n/3</c> as it is, <c>@latest</c> and
    /// <c>@alias</c> by looking them up. Callers store the version they got, not the moving URI.
    /// </summary>
    public async Task<DatasetVersion> ResolveAsync(string? uri, CancellationToken cancellationToken)
    {
        var parsed = DatasetUri.Parse(uri);
        return parsed.Kind switch
        {
            DatasetUriKind.Version => await GetVersionAsync(parsed.Name, parsed.Version, cancellationToken).ConfigureAwait(false),
            DatasetUriKind.Alias => await GetVersionByAliasAsync(parsed.Name, parsed.Alias, cancellationToken).ConfigureAwait(false),
            _ => await LatestAsync(await GetAsync(parsed.Name, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false),
        };
    }

    public Task<IReadOnlyList<DatasetVersion>> FindByDigestAsync(string? digest, CancellationToken cancellationToken) =>
        _store.FindVersionsByDigestAsync(VersionedDatasetRules.Digest(digest, "digest"), cancellationToken);

    public async Task SetAliasAsync(string? name, string? alias, long? version, string? actor, CancellationToken cancellationToken)
    {
        var dataset = VersionedDatasetRules.Name(name);
        var checkedAlias = VersionedDatasetRules.Alias(alias);
        var number = VersionedDatasetRules.Version(version);
        var before = await AliasVersionAsync(dataset, checkedAlias, cancellationToken).ConfigureAwait(false);
        await _store.SetAliasAsync(dataset, checkedAlias, number, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "dataset.alias.set", "dataset", dataset + "@" + checkedAlias, AliasJson(dataset, checkedAlias, before), AliasJson(dataset, checkedAlias, number)).ConfigureAwait(false);
    }

    public async Task DeleteAliasAsync(string? name, string? alias, string? actor, CancellationToken cancellationToken)
    {
        var dataset = VersionedDatasetRules.Name(name);
        var checkedAlias = VersionedDatasetRules.Alias(alias);
        var before = await AliasVersionAsync(dataset, checkedAlias, cancellationToken).ConfigureAwait(false);
        await _store.DeleteAliasAsync(dataset, checkedAlias, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "dataset.alias.delete", "dataset", dataset + "@" + checkedAlias, AliasJson(dataset, checkedAlias, before), null).ConfigureAwait(false);
    }

    private async Task<long?> AliasVersionAsync(string dataset, string alias, CancellationToken cancellationToken) =>
        (await _store.FindDatasetAsync(dataset, cancellationToken).ConfigureAwait(false)) is { } d && d.Aliases.TryGetValue(alias, out var v) ? v : null;

    private static string? AliasJson(string dataset, string alias, long? version) =>
        version is { } v ? AuditJson.Object(("name", dataset), ("alias", alias), ("version", v.ToString(System.Globalization.CultureInfo.InvariantCulture))) : null;

    private static string DatasetJsonOf(VersionedDataset dataset) => System.Text.Json.JsonSerializer.Serialize(dataset, Keel.Core.Wire.DatasetJson.Default.VersionedDataset);

    private static string VersionJson(DatasetVersion version) => System.Text.Json.JsonSerializer.Serialize(version, Keel.Core.Wire.DatasetJson.Default.DatasetVersion);

    /// <summary>Changes the description and/or the gating suite (null keeps a field, "" clears it); a suite is checked before it is stored.</summary>
    public Task<VersionedDataset> UpdateAsync(string? name, string? description, string? suite, string? actor, CancellationToken cancellationToken)
    {
        var dataset = VersionedDatasetRules.Name(name);
        // Parsed before it is stored, so an unknown expectation or a wrong argument is refused now, by name.
        var checkedSuite = string.IsNullOrEmpty(suite) ? suite : ExpectationSuite.Parse(suite).ToJson();
        return UpdateAndReportAsync(dataset, VersionedDatasetRules.Description(description), checkedSuite, actor, cancellationToken);
    }

    private async Task<VersionedDataset> UpdateAndReportAsync(string dataset, string? description, string? suite, string? actor, CancellationToken cancellationToken)
    {
        var before = await _store.FindDatasetAsync(dataset, cancellationToken).ConfigureAwait(false);
        var updated = await _store.UpdateDatasetAsync(dataset, description, suite, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "dataset.update", "dataset", dataset, before is null ? null : DatasetJsonOf(before), DatasetJsonOf(updated)).ConfigureAwait(false);
        return updated;
    }

    public async Task DeleteAsync(string? name, string? actor, CancellationToken cancellationToken)
    {
        var dataset = VersionedDatasetRules.Name(name);
        var before = await _store.FindDatasetAsync(dataset, cancellationToken).ConfigureAwait(false);
        await _store.DeleteDatasetAsync(dataset, actor, cancellationToken).ConfigureAwait(false);
        await _audit.ReportAsync(actor, "dataset.delete", "dataset", dataset, before is null ? null : DatasetJsonOf(before), null).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<DatasetEvent>> EventsAsync(string? name, int? maxResults, CancellationToken cancellationToken) =>
        _store.ListEventsAsync(string.IsNullOrEmpty(name) ? null : VersionedDatasetRules.Name(name), VersionedDatasetRules.Page(maxResults), cancellationToken);

    private static KeelException NotFound(string name) => KeelException.NotFound($"Dataset '{name}' does not exist.");

    private async Task<DatasetVersion> LatestAsync(VersionedDataset dataset, CancellationToken cancellationToken) =>
        dataset.LatestVersion > 0
            ? await GetVersionAsync(dataset.Name, dataset.LatestVersion, cancellationToken).ConfigureAwait(false)
            : throw KeelException.NotFound($"Dataset '{dataset.Name}' has no versions.");
}
