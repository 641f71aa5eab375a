using System.Globalization;
using Keel.Client.Internal;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Core.Tracking;
using Keel.Core.Wire;

namespace Keel.Client;

/// <summary>
/// Versioned datasets over a Keel server's dataset API (<c>/api/2.0/keel/datasets</c>): the same
/// <see cref="IDatasetStore"/> the embedded backends implement, so the CLI and SDK work the same
/// against a server. Reads and adds are retried on transient failures (an add is idempotent: the
/// same content again records nothing); alias and dataset changes are not.
/// </summary>
public sealed class RestDatasetStore : IDatasetStore
{
    private const string Api = "/api/2.0/keel/datasets";
    private readonly RestTransport _transport;

    internal RestDatasetStore(RestTransport transport) => _transport = transport;

    /// <inheritdoc/>
    public async Task<AddedDatasetVersion> AddVersionAsync(NewDatasetVersion version, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var request = new AddDatasetVersionRequest
        {
            ManifestDigest = version.ManifestDigest, Format = version.Format, FileCount = version.FileCount, SizeBytes = version.SizeBytes,
            RowCount = version.RowCount, Schema = version.Schema, Profile = version.Profile, Validation = version.Validation,
            Source = version.Source, Description = version.Description, DatasetDescription = version.DatasetDescription,
        };
        var response = await _transport.SendJsonAsync(
            HttpMethod.Post, Path(version.Name) + "/versions", request, DatasetJson.Default.AddDatasetVersionRequest, DatasetJson.Default.AddDatasetVersionResponse,
            retry: true, actor, cancellationToken).ConfigureAwait(false);
        return new AddedDatasetVersion(response.Version ?? throw Malformed("version"), response.Created);
    }

    /// <inheritdoc/>
    public Task<VersionedDataset?> FindDatasetAsync(string name, CancellationToken cancellationToken = default) =>
        OrNullAsync(async () => (await _transport.GetJsonAsync(Path(name), [], DatasetJson.Default.DatasetResponse, cancellationToken).ConfigureAwait(false)).Dataset);

    /// <inheritdoc/>
    public async Task<PagedList<VersionedDataset>> ListDatasetsAsync(int maxResults, string? pageToken, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync(Api, Paging(maxResults, pageToken), DatasetJson.Default.DatasetsResponse, cancellationToken).ConfigureAwait(false);
        return new PagedList<VersionedDataset>(response.Datasets ?? [], response.NextPageToken);
    }

    /// <inheritdoc/>
    public Task<DatasetVersion?> FindVersionAsync(string name, long version, CancellationToken cancellationToken = default) =>
        OrNullAsync(async () => (await _transport.GetJsonAsync(
            Path(name) + "/versions/" + version.ToString(CultureInfo.InvariantCulture), [], DatasetJson.Default.DatasetVersionResponse, cancellationToken).ConfigureAwait(false)).Version);

    /// <inheritdoc/>
    public async Task<PagedList<DatasetVersion>> ListVersionsAsync(string name, int maxResults, string? pageToken, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync(Path(name) + "/versions", Paging(maxResults, pageToken), DatasetJson.Default.DatasetVersionsResponse, cancellationToken).ConfigureAwait(false);
        return new PagedList<DatasetVersion>(response.Versions ?? [], response.NextPageToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DatasetVersion>> FindVersionsByDigestAsync(string manifestDigest, CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(Api + "/by-digest/" + Uri.EscapeDataString(manifestDigest), [], DatasetJson.Default.DatasetVersionsResponse, cancellationToken).ConfigureAwait(false)).Versions ?? [];

    /// <summary>The version a dataset URI names now (<c>datasets:/n/3</c>, <c>@alias</c>, <c>@latest</c>), with its profile.</summary>
    /// <param name="uri">The dataset URI.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<DatasetVersion> ResolveAsync(string uri, CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(Api + "/resolve", [new("uri", uri)], DatasetJson.Default.DatasetVersionResponse, cancellationToken).ConfigureAwait(false)).Version
        ?? throw Malformed("version");

    /// <inheritdoc/>
    public Task SetAliasAsync(string name, string alias, long version, string? actor, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Put, AliasPath(name, alias), new SetDatasetAliasRequest { Version = version }, DatasetJson.Default.SetDatasetAliasRequest, DatasetJson.Default.DatasetResponse,
            retry: false, actor, cancellationToken);

    /// <inheritdoc/>
    public Task DeleteAliasAsync(string name, string alias, string? actor, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Delete, AliasPath(name, alias), new UpdateDatasetRequest(), DatasetJson.Default.UpdateDatasetRequest, DatasetJson.Default.DatasetResponse,
            retry: false, actor, cancellationToken);

    /// <inheritdoc/>
    public async Task<VersionedDataset> UpdateDatasetAsync(string name, string? description, string? suite, string? actor, CancellationToken cancellationToken = default) =>
        (await _transport.SendJsonAsync(
            HttpMethod.Patch, Path(name), new UpdateDatasetRequest { Description = description, Suite = suite }, DatasetJson.Default.UpdateDatasetRequest, DatasetJson.Default.DatasetResponse,
            retry: false, actor, cancellationToken).ConfigureAwait(false)).Dataset ?? throw Malformed("dataset");

    /// <inheritdoc/>
    public Task DeleteDatasetAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(
            HttpMethod.Delete, Path(name), new UpdateDatasetRequest(), DatasetJson.Default.UpdateDatasetRequest, DatasetJson.Default.DatasetResponse,
            retry: false, actor, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DatasetEvent>> ListEventsAsync(string? name, int maxResults, CancellationToken cancellationToken = default) =>
        (await _transport.GetJsonAsync(
            Api + "/events", [new("dataset", name), new("max_results", maxResults.ToString(CultureInfo.InvariantCulture))], DatasetJson.Default.DatasetEventsResponse, cancellationToken).ConfigureAwait(false)).Events ?? [];

    private static string Path(string name) => Api + "/" + Uri.EscapeDataString(name);

    private static string AliasPath(string name, string alias) => Path(name) + "/aliases/" + Uri.EscapeDataString(alias);

    private static KeyValuePair<string, string?>[] Paging(int maxResults, string? pageToken) =>
        [new("max_results", maxResults.ToString(CultureInfo.InvariantCulture)), new("page_token", pageToken)];

    private static KeelException Malformed(string field) => new(ErrorCode.InternalError, $"The server's dataset answer has no '{field}'.");

    private static async Task<T?> OrNullAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            return null;
        }
    }
}
