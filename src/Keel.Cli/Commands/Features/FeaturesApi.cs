using Keel.Application.Features;
using Keel.Client;
using Keel.Core.Features;

namespace Keel.Cli.Commands.Features;

/// <summary>The feature registry a command works on: a server's over the SDK, or the data dir's through the same use case the server runs.</summary>
internal sealed class FeaturesApi
{
    private readonly KeelClient? _client;
    private readonly FeatureRegistryService? _service;

    private FeaturesApi(KeelClient? client, FeatureRegistryService? service)
    {
        _client = client;
        _service = service;
    }

    public static FeaturesApi Over(KeelClient client) => new(client, null);

    public static FeaturesApi Over(FeatureRegistryService service) => new(null, service);

    public Task<FeatureCatalog> GetCatalogAsync(CancellationToken cancellationToken) =>
        _client is not null ? _client.GetFeatureCatalogAsync(cancellationToken) : _service!.GetCatalogAsync(cancellationToken);

    public async Task<FeaturePlan> PlanAsync(FeatureDefinitions definitions, CancellationToken cancellationToken) =>
        _client is not null
            ? FeaturePlanWire.FromWire(await _client.PlanFeaturesAsync(definitions, cancellationToken).ConfigureAwait(false))
            : await _service!.PlanAsync(definitions, cancellationToken).ConfigureAwait(false);

    public async Task<(FeaturePlan Plan, bool Applied, long Revision)> ApplyAsync(FeatureDefinitions definitions, bool force, long expectedRevision, string actor, CancellationToken cancellationToken)
    {
        if (_client is not null)
        {
            var r = await _client.ApplyFeaturesAsync(definitions, force, expectedRevision, cancellationToken).ConfigureAwait(false);
            return (FeaturePlanWire.FromWire(r), r.Applied ?? false, r.AppliedRevision ?? 0);
        }

        var result = await _service!.ApplyAsync(definitions, force, actor, expectedRevision, cancellationToken).ConfigureAwait(false);
        return (result.Plan, result.Applied, result.Catalog.Revision);
    }

    public Task<IReadOnlyList<StoredFeatureObject>> VersionsAsync(string name, CancellationToken cancellationToken) =>
        _client is not null ? _client.FeatureVersionsAsync(name, null, cancellationToken) : _service!.ListVersionsAsync(name, null, cancellationToken);
}
