using Keel.Application.Validation;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Core.Serving;
using Keel.Core.Wire;

namespace Keel.Application;

/// <summary>
/// Serving use cases: endpoints, static splits and progressive rollouts. Arguments are checked
/// here once; each change is prepared on the runtime (models loaded), stored with its audit event,
/// then applied, so traffic never reaches a version that did not load. A model URI is pinned to the
/// immutable version it names when the change is prepared, and that version is stored, so every
/// replica serves the same one. Each update names the revision it was made from: another replica's
/// change in between is a conflict (409 with the current state when the caller named a revision;
/// otherwise the change is made again from the fresh state). Changes in this process are also
/// serialised, so a rollout step racing an operator's abort does not even reach the store.
/// </summary>
public sealed partial class ServingService
{
    private const int MaxAttempts = 3;
    private readonly IServingStore _store;
    private readonly IServingRuntime _runtime;
    private readonly IModelPinner _pinner;
    private readonly TimeProvider _time;
    private readonly IAuditSink _audit;
    private readonly SemaphoreSlim _changes = new(1, 1);

    /// <param name="store">Where endpoints are stored.</param>
    /// <param name="runtime">This replica's live side.</param>
    /// <param name="time">The clock; the system's when null.</param>
    /// <param name="pinner">Pins model URIs to immutable versions; URIs are kept as given when null (tests without a registry).</param>
    /// <param name="audit">Where every change is reported with the endpoint before and after (its routes name the pinned versions); none when null.</param>
    public ServingService(IServingStore store, IServingRuntime runtime, TimeProvider? time = null, IModelPinner? pinner = null, IAuditSink? audit = null)
    {
        _audit = audit ?? NullAuditSink.Instance;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        _time = time ?? TimeProvider.System;
        _pinner = pinner ?? IModelPinner.AsGiven;
    }

    public Task<IReadOnlyList<Endpoint>> ListAsync(string? environment, CancellationToken cancellationToken = default) =>
        _store.ListEndpointsAsync(environment is null ? null : ServingRules.Environment(environment), cancellationToken);

    public async Task<Endpoint> GetAsync(string? name, CancellationToken cancellationToken = default) =>
        await _store.FindEndpointAsync(ServingRules.Name(name), cancellationToken).ConfigureAwait(false)
        ?? throw NotFound(name!);

    /// <summary>An endpoint's audit events, newest first (at most <see cref="RequestLimits.MaxEvents"/>).</summary>
    public Task<IReadOnlyList<ServingEvent>> ListEventsAsync(string? name, int maxResults = RequestLimits.DefaultEvents, CancellationToken cancellationToken = default) =>
        _store.ListEventsAsync(name is null ? null : ServingRules.Name(name), Math.Clamp(maxResults, 1, RequestLimits.MaxEvents), cancellationToken);

    /// <summary>Creates an endpoint serving one model (mode single).</summary>
    /// <param name="sensitiveColumns">Input columns the prediction log masks, hashes or drops (column → mask | hash | drop); null for none.</param>
    /// <param name="features">Features added to each request row by entity key before scoring; null for none.</param>
    public async Task<Endpoint> CreateAsync(string? name, string? environment, string? modelUri, RolloutPolicy? policy, EndpointLimits? limits, string? stickyKey, string? actor, CancellationToken cancellationToken = default, IReadOnlyDictionary<string, string>? sensitiveColumns = null, EndpointFeatures? features = null)
    {
        var now = Now();
        var n = ServingRules.Name(name);
        var env = ServingRules.Environment(environment);
        var sensitive = ServingRules.SensitiveColumns(sensitiveColumns);
        var enrichment = ServingRules.Features(features);
        var uri = await PinAsync(ServingRules.ModelUri(modelUri), cancellationToken).ConfigureAwait(false);
        var endpoint = new Endpoint(
            n, env, EndpointMode.Single,
            [new Route(uri, 100, RouteRole.Primary)],
            ServingRules.Policy(policy), ServingRules.Limits(limits), ServingRules.StickyKey(stickyKey), null, [], now, now)
        {
            SensitiveColumns = sensitive,
            Features = enrichment,
        };
        return await StoreNewAsync(endpoint, actor, cancellationToken).ConfigureAwait(false);
    }

    // Under the change lock: refused when the name is taken, else prepared (models loaded), stored, applied.
    private async Task<Endpoint> StoreNewAsync(Endpoint endpoint, string? actor, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await _store.FindEndpointAsync(endpoint.Name, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw KeelException.AlreadyExists($"Endpoint '{endpoint.Name}' already exists.");
            }

            await _runtime.PrepareAsync(endpoint, cancellationToken).ConfigureAwait(false);
            await _store.CreateEndpointAsync(endpoint, actor, cancellationToken).ConfigureAwait(false);
            _runtime.Apply(endpoint);
            await _audit.ReportAsync(actor, "endpoint.create", EndpointType, endpoint.Name, null, EndpointJson(endpoint), endpoint.Environment).ConfigureAwait(false);
            return endpoint;
        }
        finally
        {
            _changes.Release();
        }
    }

    public async Task DeleteAsync(string? name, string? actor, CancellationToken cancellationToken = default)
    {
        var n = ServingRules.Name(name);
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var before = await _store.FindEndpointAsync(n, cancellationToken).ConfigureAwait(false);
            await _store.DeleteEndpointAsync(n, actor, cancellationToken).ConfigureAwait(false);
            _runtime.Remove(n);
            await _audit.ReportAsync(actor, "endpoint.delete", EndpointType, n, before is null ? null : EndpointJson(before), null, before?.Environment).ConfigureAwait(false);
        }
        finally
        {
            _changes.Release();
        }
    }

    /// <summary>
    /// Sets a static split. single: the champion alone. canary / ab_test: a challenger at
    /// <paramref name="weight"/> percent (A/B sticky by the endpoint's key). shadow: the challenger
    /// gets copies only. blue_green: the new model takes all traffic at once and the old champion
    /// stays loaded as standby for <see cref="RollbackAsync"/>.
    /// </summary>
    public async Task<Endpoint> SetTrafficAsync(string? name, EndpointMode? mode, string? modelUri, int? weight, string? stickyKey, string? actor, CancellationToken cancellationToken = default, long? expectedVersion = null)
    {
        var m = mode ?? throw KeelException.MissingParameter("mode");
        var sticky = ServingRules.StickyKey(stickyKey);
        var given = m == EndpointMode.Single ? null : ServingRules.ModelUri(modelUri);
        var w = m is EndpointMode.Canary or EndpointMode.AbTest ? ServingRules.Weight(weight) : 0;
        ServingRules.Name(name);
        var uri = given is null ? null : await PinAsync(given, cancellationToken).ConfigureAwait(false);
        return await ChangeAsync(name, "traffic." + ModeWire(m), $"mode {ModeWire(m)}" + (uri is null ? string.Empty : $", {Pinned(given!, uri)}") + (w > 0 ? $" at {w}%" : string.Empty), actor, e =>
        {
            EnsureNotRollingOut(e);
            var primary = e.Primary;
            Route[] routes = m switch
            {
                EndpointMode.Single => [primary with { Weight = 100 }],
                EndpointMode.Canary or EndpointMode.AbTest => [primary with { Weight = 100 - w }, new Route(uri!, w, RouteRole.Challenger)],
                EndpointMode.Shadow => [primary with { Weight = 100 }, new Route(uri!, 0, RouteRole.Shadow)],
                EndpointMode.BlueGreen => [new Route(uri!, 100, RouteRole.Primary), new Route(primary.ModelUri, 0, RouteRole.Standby)],
                _ => throw KeelException.InvalidParameter($"Unknown mode {m}."),
            };
            var key = m == EndpointMode.AbTest ? sticky ?? e.StickyKey ?? ServingRules.DefaultStickyKey : sticky ?? e.StickyKey;
            return e with { Mode = m, Routes = routes, StickyKey = key };
        }, expectedVersion, null, cancellationToken, Gated(
            "endpoint.traffic.set", new SetTrafficRequest { Mode = m, ModelUri = uri, Weight = w > 0 ? w : null, StickyKey = sticky }, ServingJson.Default.SetTrafficRequest, actor, uri)).ConfigureAwait(false);
    }

    private static string ModeWire(EndpointMode mode) => mode switch
    {
        EndpointMode.Single => "single",
        EndpointMode.Canary => "canary",
        EndpointMode.AbTest => "ab_test",
        EndpointMode.Shadow => "shadow",
        _ => "blue_green",
    };

    private static void EnsureNotRollingOut(Endpoint e)
    {
        if (e.IsRollingOut)
        {
            throw new KeelException(ErrorCode.ResourceConflict, $"Endpoint '{e.Name}' has a rollout in progress; promote, abort or roll it back first.");
        }
    }

    private static KeelException NotFound(string name) => KeelException.NotFound($"Endpoint '{name}' does not exist.");

    private const string EndpointType = "endpoint";

    // The API's own shape of an endpoint (what GET /endpoints/{name} answers in "endpoint").
    private static string EndpointJson(Endpoint endpoint) => System.Text.Json.JsonSerializer.Serialize(endpoint, ServingJson.Default.Endpoint);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private Task<string> PinAsync(string modelUri, CancellationToken cancellationToken) => _pinner.PinAsync(modelUri, cancellationToken);

    // For the audit trail: what was asked for and what it was pinned to.
    private static string Pinned(string given, string pinned) => given == pinned ? pinned : $"{pinned} (from {given})";

    /// <summary>
    /// Reads, changes, prepares, stores and applies one endpoint under the change lock. With
    /// <paramref name="expectedVersion"/> the change is made only from that revision; without it, a
    /// revision stored by another replica in between makes the change again from the fresh state.
    /// </summary>
    /// <remarks>With <paramref name="gated"/>, the computed change passes the environment gate before it is prepared or stored.</remarks>
    private async Task<Endpoint> ChangeAsync(
        string? name, string action, string? detail, string? actor, Func<Endpoint, Endpoint> change, long? expectedVersion, LeaseFence? fence, CancellationToken cancellationToken,
        Func<Endpoint, Endpoint, Keel.Application.Governance.GatedChange>? gated = null)
    {
        var n = ServingRules.Name(name);
        if (expectedVersion is < 1)
        {
            throw KeelException.InvalidParameter($"Invalid value {expectedVersion} for parameter 'expected_version': it must be a version of the endpoint, 1 or more.");
        }

        // A pipeline step's change may wait hours for approval: it waits here, before the change lock,
        // and then makes the change under the approval (the check inside the lock passes at once).
        Keel.Core.Governance.Approval? approved = null;
        if (gated is not null && Keel.Application.Governance.StepApprovalWait.Current is not null && Keel.Core.Governance.ApprovalScope.Current is null)
        {
            var seen = await _store.FindEndpointAsync(n, cancellationToken).ConfigureAwait(false) ?? throw NotFound(n);
            approved = await Gate.CheckAsync(gated(seen, change(seen) with { UpdatedAt = Now(), Version = seen.Version + 1 }), cancellationToken).ConfigureAwait(false);
        }

        using var scope = approved is null ? null : Keel.Core.Governance.ApprovalScope.Enter(approved);
        await _changes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var current = await _store.FindEndpointAsync(n, cancellationToken).ConfigureAwait(false) ?? throw NotFound(n);
                if (expectedVersion is { } expected && current.Version != expected)
                {
                    throw new EndpointConflictException(current, expected);
                }

                var next = change(current) with { UpdatedAt = Now(), Version = current.Version + 1 };
                if (gated is not null && attempt == 1)
                {
                    await Gate.CheckAsync(gated(current, next), cancellationToken).ConfigureAwait(false);
                }

                await _runtime.PrepareAsync(next, cancellationToken).ConfigureAwait(false);
                try
                {
                    await _store.UpdateEndpointAsync(next, action, detail, actor, fence, cancellationToken).ConfigureAwait(false);
                }
                catch (EndpointConflictException) when (expectedVersion is null && fence is null && attempt < MaxAttempts)
                {
                    continue;
                }

                _runtime.Apply(next);
                var auditAction = action.StartsWith("endpoint.", StringComparison.Ordinal) ? action : "endpoint." + action;
                await _audit.ReportAsync(actor, auditAction, EndpointType, n, EndpointJson(current), EndpointJson(next), next.Environment).ConfigureAwait(false);
                return next;
            }
        }
        finally
        {
            _changes.Release();
        }
    }
}
