using Keel.Client.Internal;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Core.Wire;

namespace Keel.Client;

/// <summary>
/// The feature registry over a Keel server's API (<c>/api/2.0/keel/features</c>): the same
/// <see cref="IFeatureRegistry"/> the embedded stores implement, plus planning and applying whole
/// definitions on the server (which refuses breaking changes to what production endpoints read
/// unless forced). Reads are retried on transient failures; changes are not.
/// </summary>
public sealed class RestFeatureRegistry : IFeatureRegistry
{
    private const string Api = "/api/2.0/keel/features";
    private readonly RestTransport _transport;

    internal RestFeatureRegistry(RestTransport transport) => _transport = transport;

    /// <inheritdoc/>
    public async Task<FeatureCatalog> GetCatalogAsync(CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(Api + "/catalog", [], FeatureJson.Default.FeatureCatalogResponse, cancellationToken).ConfigureAwait(false);
        return new FeatureCatalog(r.Revision ?? 0, [.. (r.Objects ?? []).Select(FeatureWireMapping.StoredFromWire)]);
    }

    /// <inheritdoc/>
    public async Task<FeatureCatalog> ApplyAsync(IReadOnlyList<FeatureObjectChange> changes, long expectedRevision, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var request = new FeatureApplyRequest { Changes = [.. changes.Select(FeatureWireMapping.ToWire)], ExpectedRevision = expectedRevision, Force = false };
        _ = await _transport.SendJsonAsync(
            HttpMethod.Post, Api + "/apply", request, FeatureJson.Default.FeatureApplyRequest, FeatureJson.Default.FeaturePlanResponse, retry: false, actor, cancellationToken).ConfigureAwait(false);
        return await GetCatalogAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What applying <paramref name="definitions"/> would change (planned by the server against its catalog and endpoints).</summary>
    /// <param name="definitions">The desired definitions, complete.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<FeaturePlanResponse> PlanAsync(FeatureDefinitions definitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        return _transport.SendJsonAsync(
            HttpMethod.Post, Api + "/plan", new FeaturePlanRequest { Definitions = FeatureWireMapping.ToWire(definitions) }, FeatureJson.Default.FeaturePlanRequest,
            FeatureJson.Default.FeaturePlanResponse, retry: true, null, cancellationToken);
    }

    /// <summary>Plans and applies <paramref name="definitions"/> on the server.</summary>
    /// <param name="definitions">The desired definitions, complete (what is absent is deleted).</param>
    /// <param name="force">Apply even breaking changes to what production endpoints read.</param>
    /// <param name="expectedRevision">The revision a plan shown to the user was made from; null: whatever is current.</param>
    /// <param name="actor">Who applies.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeelException">RESOURCE_CONFLICT when refused (naming the endpoints) or when the catalog moved on (<see cref="FeatureCatalogConflictException"/>).</exception>
    public Task<FeaturePlanResponse> ApplyDefinitionsAsync(FeatureDefinitions definitions, bool force, long? expectedRevision = null, string? actor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var request = new FeatureApplyRequest { Definitions = FeatureWireMapping.ToWire(definitions), Force = force, ExpectedRevision = expectedRevision };
        return _transport.SendJsonAsync(
            HttpMethod.Post, Api + "/apply", request, FeatureJson.Default.FeatureApplyRequest, FeatureJson.Default.FeaturePlanResponse, retry: false, actor, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredFeatureObject>> ListVersionsAsync(FeatureObjectKind kind, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await VersionsAsync(name, kind, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            return [];
        }
    }

    /// <summary>Every version of a definition, oldest first; <paramref name="kind"/> null: whichever kind has the name (views first).</summary>
    /// <exception cref="KeelException">RESOURCE_DOES_NOT_EXIST when never applied.</exception>
    public async Task<IReadOnlyList<StoredFeatureObject>> VersionsAsync(string name, FeatureObjectKind? kind = null, CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(
            Api + "/versions", [new("name", name), new("kind", kind is { } k ? FeatureWireMapping.KindName(k) : null)], FeatureJson.Default.FeatureVersionsResponse, cancellationToken).ConfigureAwait(false);
        return [.. (r.Versions ?? []).Select(FeatureWireMapping.StoredFromWire)];
    }

    /// <inheritdoc/>
    public async Task<MaterializationState?> GetMaterializationAsync(string view, CancellationToken cancellationToken = default)
    {
        var r = await _transport.GetJsonAsync(MaterializationPath(view), [], FeatureJson.Default.MaterializationResponse, cancellationToken).ConfigureAwait(false);
        return r.State is null ? null : FeatureWireMapping.FromWire(r.State);
    }

    /// <inheritdoc/>
    public async Task<MaterializationState> RecordMaterializationAsync(MaterializationState state, long expectedRevision, LeaseFence? fence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var request = new RecordMaterializationRequest
        {
            State = FeatureWireMapping.ToWire(state),
            ExpectedRevision = expectedRevision,
            Fence = fence is null ? null : new LeaseFenceWire { Name = fence.Name, Holder = fence.Holder, Epoch = fence.Epoch },
        };
        var r = await _transport.SendJsonAsync(
            HttpMethod.Post, MaterializationPath(state.View), request, FeatureJson.Default.RecordMaterializationRequest, FeatureJson.Default.MaterializationResponse,
            retry: false, null, cancellationToken).ConfigureAwait(false);
        return FeatureWireMapping.FromWire(r.State ?? throw new KeelException(ErrorCode.InternalError, "The server's answer has no materialization state."));
    }

    private static string MaterializationPath(string view) => Api + "/materialization/" + Uri.EscapeDataString(view);
}
