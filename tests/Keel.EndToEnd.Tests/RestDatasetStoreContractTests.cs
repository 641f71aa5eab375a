using Keel.Client;
using Keel.Core.Data;
using Keel.Core.Tracking;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="RestDatasetStore"/> enrolls in the dataset store contract: each test gets a
/// fresh in-process server on its own data dir and talks to it over real HTTP. The server records a
/// version only once its manifest is in the artifact store, so every add first uploads a stand-in
/// manifest object through the same client, as <c>keel data add</c> uploads the real one.
/// </summary>
public sealed class RestDatasetStoreContractTests : DatasetStoreContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    protected override IDatasetStore CreateDatasetStore() => new UploadingFirst(_servers.StartClient());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    [Fact]
    public async Task A_version_whose_manifest_was_never_uploaded_is_refused()
    {
        var client = _servers.StartClient();
        var e = await Assert.ThrowsAsync<Keel.Core.Errors.KeelException>(() => client.Datasets.AddVersionAsync(new NewDatasetVersion("d", new string('e', 64), "csv", 1, 1), null));
        Assert.Equal(Keel.Core.Errors.ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("manifest", e.Message, StringComparison.Ordinal);
        Assert.Null(await client.Datasets.FindDatasetAsync("d"));
    }

    private sealed class UploadingFirst(KeelClient client) : IDatasetStore
    {
        private readonly RestDatasetStore _inner = client.Datasets;

        public async Task<AddedDatasetVersion> AddVersionAsync(NewDatasetVersion version, string? actor, CancellationToken cancellationToken = default)
        {
            using var manifest = new MemoryStream("{}"u8.ToArray());
            await client.WriteAsync(Keel.Data.Content.ContentPaths.Manifest(version.ManifestDigest), manifest, cancellationToken);
            return await _inner.AddVersionAsync(version, actor, cancellationToken);
        }

        public Task<VersionedDataset?> FindDatasetAsync(string name, CancellationToken cancellationToken = default) => _inner.FindDatasetAsync(name, cancellationToken);

        public Task<PagedList<VersionedDataset>> ListDatasetsAsync(int maxResults, string? pageToken, CancellationToken cancellationToken = default) => _inner.ListDatasetsAsync(maxResults, pageToken, cancellationToken);

        public Task<DatasetVersion?> FindVersionAsync(string name, long version, CancellationToken cancellationToken = default) => _inner.FindVersionAsync(name, version, cancellationToken);

        public Task<PagedList<DatasetVersion>> ListVersionsAsync(string name, int maxResults, string? pageToken, CancellationToken cancellationToken = default) => _inner.ListVersionsAsync(name, maxResults, pageToken, cancellationToken);

        public Task<IReadOnlyList<DatasetVersion>> FindVersionsByDigestAsync(string manifestDigest, CancellationToken cancellationToken = default) => _inner.FindVersionsByDigestAsync(manifestDigest, cancellationToken);

        public Task SetAliasAsync(string name, string alias, long version, string? actor, CancellationToken cancellationToken = default) => _inner.SetAliasAsync(name, alias, version, actor, cancellationToken);

        public Task DeleteAliasAsync(string name, string alias, string? actor, CancellationToken cancellationToken = default) => _inner.DeleteAliasAsync(name, alias, actor, cancellationToken);

        public Task<VersionedDataset> UpdateDatasetAsync(string name, string? description, string? suite, string? actor, CancellationToken cancellationToken = default) => _inner.UpdateDatasetAsync(name, description, suite, actor, cancellationToken);

        public Task DeleteDatasetAsync(string name, string? actor, CancellationToken cancellationToken = default) => _inner.DeleteDatasetAsync(name, actor, cancellationToken);

        public Task<IReadOnlyList<DatasetEvent>> ListEventsAsync(string? name, int maxResults, CancellationToken cancellationToken = default) => _inner.ListEventsAsync(name, maxResults, cancellationToken);
    }
}
