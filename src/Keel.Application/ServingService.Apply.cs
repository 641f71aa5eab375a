using Keel.Application.Validation;
using Keel.Core.Errors;
using Keel.Core.Serving;

namespace Keel.Application;

public sealed partial class ServingService
{
    /// <summary>
    /// Makes the stored endpoint what a declared spec says, as <c>kubectl apply</c> does for a
    /// manifest (<c>keel server --endpoint-spec</c>, the spec <c>keel deploy kubernetes</c> writes): creates
    /// it when missing, stores the spec's traffic (mode, routes, policy, limits, sticky key) as the
    /// next revision when it differs, and changes nothing when it already matches, so every replica
    /// starting with the same spec stores it once. Route URIs are pinned to versions as everywhere
    /// else. A running rollout is not overridden: the spec waits until it ends.
    /// </summary>
    /// <param name="spec">The declared endpoint; its revision, timestamps and rollout state are ignored.</param>
    /// <param name="actor">Who declared it, for the audit trail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The endpoint as stored afterwards.</returns>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for a spec that breaks a rule; RESOURCE_CONFLICT while a rollout runs.</exception>
    public async Task<Endpoint> ApplyAsync(Endpoint spec, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var declared = await CheckSpecAsync(spec, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var current = await _store.FindEndpointAsync(declared.Name, cancellationToken).ConfigureAwait(false);
            try
            {
                if (current is null)
                {
                    var now = Now();
                    return await StoreNewAsync(declared with { Rollout = null, PastRollouts = [], CreatedAt = now, UpdatedAt = now, Version = 1 }, actor, cancellationToken).ConfigureAwait(false);
                }

                if (Matches(current, declared))
                {
                    return current;
                }

                EnsureNotRollingOut(current);
                return await ChangeAsync(
                    declared.Name, "endpoint.apply", $"mode {ModeWire(declared.Mode)}, " + string.Join(", ", declared.Routes.Select(r => $"{r.ModelUri} at {r.Weight}%")), actor,
                    e => e with { Environment = declared.Environment, Mode = declared.Mode, Routes = declared.Routes, Policy = declared.Policy, Limits = declared.Limits, StickyKey = declared.StickyKey, Features = declared.Features },
                    current.Version, null, cancellationToken).ConfigureAwait(false);
            }
            catch (KeelException e) when (attempt < MaxAttempts && (e is EndpointConflictException || e.Code == ErrorCode.ResourceAlreadyExists))
            {
                // Another replica applied (or changed) it in between: look again.
            }
        }
    }

    private async Task<Endpoint> CheckSpecAsync(Endpoint spec, CancellationToken cancellationToken)
    {
        var name = ServingRules.Name(spec.Name);
        var environment = ServingRules.Environment(spec.Environment);
        if (spec.Routes is not { Count: > 0 } || spec.Routes.Count(r => r?.Role == RouteRole.Primary) != 1)
        {
            throw KeelException.InvalidParameter($"Invalid spec of endpoint '{name}': it needs routes with exactly one primary.");
        }

        var routes = new List<Route>(spec.Routes.Count);
        foreach (var route in spec.Routes)
        {
            var uri = await PinAsync(ServingRules.ModelUri(route.ModelUri, "routes.model_uri"), cancellationToken).ConfigureAwait(false);
            routes.Add(route with { ModelUri = uri, Weight = route.Weight is >= 0 and <= 100 ? route.Weight : throw KeelException.InvalidParameter($"Invalid weight {route.Weight} of {route.ModelUri}: it must be from 0 to 100.") });
        }

        if (routes.Sum(r => r.Weight) != 100)
        {
            throw KeelException.InvalidParameter($"Invalid spec of endpoint '{name}': the weights of its routes add up to {routes.Sum(r => r.Weight)}, not 100.");
        }

        return spec with
        {
            Name = name,
            Environment = environment,
            Routes = routes,
            Policy = ServingRules.Policy(spec.Policy),
            Limits = ServingRules.Limits(spec.Limits),
            StickyKey = ServingRules.StickyKey(spec.StickyKey),
            Features = ServingRules.Features(spec.Features),
        };
    }

    private static bool Matches(Endpoint stored, Endpoint declared) =>
        stored.Environment == declared.Environment && stored.Mode == declared.Mode && stored.Routes.SequenceEqual(declared.Routes)
        && stored.Policy == declared.Policy && stored.Limits == declared.Limits && stored.StickyKey == declared.StickyKey
        && SameFeatures(stored.Features, declared.Features);

    private static bool SameFeatures(EndpointFeatures? a, EndpointFeatures? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Service == b.Service && a.FullFeatureNames == b.FullFeatureNames && (a.Features ?? []).SequenceEqual(b.Features ?? []);
}
