using System.Text.Json;
using Keel.Core.Serving;

namespace Keel.Storage.Records;

/// <summary>Endpoint ↔ its stored document (<see cref="EndpointRecord"/>), shared by every backend.</summary>
internal static class EndpointDocuments
{
    /// <summary>The shape version written today.</summary>
    public const int Current = 1;

    private const string What = "serving endpoint";

    public static string Serialize(Endpoint endpoint) => JsonSerializer.Serialize(ToRecord(endpoint), StorageJson.Default.EndpointRecord);

    public static Endpoint Parse(string json)
    {
        var version = SchemaVersions.Of(json, What);
        if (version != Current)
        {
            throw SchemaVersions.Newer(What, version, Current);
        }

        var record = JsonSerializer.Deserialize(json, StorageJson.Default.EndpointRecord) ?? throw SchemaVersions.Corrupt(What, "null document", null);
        return ToDomain(record);
    }

    public static EndpointRecord ToRecord(Endpoint e) => new(
        Current,
        e.Name,
        e.Environment,
        StoredNames.Of(e.Mode),
        e.Routes.Select(r => new RouteRecord(r.ModelUri, r.Weight, StoredNames.Of(r.Role))).ToList(),
        new PolicyRecord(e.Policy.MaxErrorRateIncrease, e.Policy.MaxP99LatencyRatio, e.Policy.P99LatencySlackMs, e.Policy.MaxDivergence, e.Policy.MinRequests),
        new LimitsRecord(e.Limits.MaxConcurrency, e.Limits.MaxBatchRows, e.Limits.TimeoutMs),
        e.StickyKey,
        e.Rollout is null ? null : ToRecord(e.Rollout),
        e.PastRollouts.Select(ToRecord).ToList(),
        e.CreatedAt,
        e.UpdatedAt,
        e.SensitiveColumns is { Count: > 0 } sensitive ? sensitive.ToDictionary(c => c.Key, c => StoredNames.Of(c.Value), StringComparer.Ordinal) : null,
        e.Features is { } f ? new EndpointFeaturesRecord(f.Service, f.Features is null ? null : [.. f.Features], f.FullFeatureNames) : null);

    private static RolloutRecord ToRecord(Rollout r) => new(
        r.Id, r.ChampionUri, r.ChallengerUri, [.. r.Steps], r.StepIndex, r.HoldSeconds, r.HoldRequests, StoredNames.Of(r.State), r.Reason,
        r.StartedAt, r.StepStartedAt, r.EndedAt,
        r.History.Select(s => new RolloutStepRecord(s.Percent, s.Outcome, s.Reason, s.StartedAt, s.EndedAt, s.Comparison is null ? null : ToRecord(s.Comparison))).ToList());

    private static ComparisonRecord ToRecord(StepComparison c) => new(
        c.ChampionRequests, c.ChallengerRequests, c.ChampionErrorRate, c.ChallengerErrorRate, c.ChampionP99Ms, c.ChallengerP99Ms, c.Divergence);

    private static Endpoint ToDomain(EndpointRecord r) => new(
        r.Name,
        r.Environment,
        StoredNames.Mode(r.Mode),
        r.Routes.Select(x => new Route(x.ModelUri, x.Weight, StoredNames.Role(x.Role))).ToList(),
        new RolloutPolicy(r.Policy.MaxErrorRateIncrease, r.Policy.MaxP99LatencyRatio, r.Policy.P99LatencySlackMs, r.Policy.MaxDivergence, r.Policy.MinRequests),
        new EndpointLimits(r.Limits.MaxConcurrency, r.Limits.MaxBatchRows, r.Limits.TimeoutMs),
        r.StickyKey,
        r.Rollout is null ? null : ToDomain(r.Rollout),
        r.PastRollouts.Select(ToDomain).ToList(),
        r.CreatedAt,
        r.UpdatedAt)
    {
        SensitiveColumns = r.SensitiveColumns is { Count: > 0 } sensitive
            ? sensitive.ToDictionary(c => c.Key, c => StoredNames.Sensitive(c.Value), StringComparer.Ordinal)
            : null,
        Features = r.Features is { } f ? new EndpointFeatures(f.Service, f.Features, f.FullFeatureNames) : null,
    };

    private static Rollout ToDomain(RolloutRecord r) => new(
        r.Id, r.ChampionUri, r.ChallengerUri, [.. r.Steps], r.StepIndex, r.HoldSeconds, r.HoldRequests, StoredNames.State(r.State), r.Reason,
        r.StartedAt, r.StepStartedAt, r.EndedAt,
        r.History.Select(s => new RolloutStep(s.Percent, s.Outcome, s.Reason, s.StartedAt, s.EndedAt, s.Comparison is null ? null : ToDomain(s.Comparison))).ToList());

    private static StepComparison ToDomain(ComparisonRecord c) => new(
        c.ChampionRequests, c.ChallengerRequests, c.ChampionErrorRate, c.ChallengerErrorRate, c.ChampionP99Ms, c.ChallengerP99Ms, c.Divergence);
}
