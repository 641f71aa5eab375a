using System.Text.Json.Serialization;

namespace Keel.Storage.Records;

/// <summary>
/// A serving endpoint as the stores keep it (one JSON document per endpoint). Every property name
/// is pinned, so renaming a C# member never changes stored data; a change of shape is a new
/// <see cref="SchemaVersion"/> that <see cref="EndpointDocuments"/> reads alongside the old ones.
/// </summary>
internal sealed record EndpointRecord(
    [property: JsonPropertyName("v")] int SchemaVersion,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("environment")] string Environment,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("routes")] IReadOnlyList<RouteRecord> Routes,
    [property: JsonPropertyName("policy")] PolicyRecord Policy,
    [property: JsonPropertyName("limits")] LimitsRecord Limits,
    [property: JsonPropertyName("sticky_key")] string? StickyKey,
    [property: JsonPropertyName("rollout")] RolloutRecord? Rollout,
    [property: JsonPropertyName("past_rollouts")] IReadOnlyList<RolloutRecord> PastRollouts,
    [property: JsonPropertyName("created_at")] long CreatedAt,
    [property: JsonPropertyName("updated_at")] long UpdatedAt,
    [property: JsonPropertyName("sensitive_columns")] IReadOnlyDictionary<string, string>? SensitiveColumns = null,
    [property: JsonPropertyName("features")] EndpointFeaturesRecord? Features = null);

internal sealed record EndpointFeaturesRecord(
    [property: JsonPropertyName("service")] string? Service,
    [property: JsonPropertyName("features")] IReadOnlyList<string>? Features,
    [property: JsonPropertyName("full_feature_names")] bool FullFeatureNames);

internal sealed record RouteRecord(
    [property: JsonPropertyName("model_uri")] string ModelUri,
    [property: JsonPropertyName("weight")] int Weight,
    [property: JsonPropertyName("role")] string Role);

internal sealed record PolicyRecord(
    [property: JsonPropertyName("max_error_rate_increase")] double MaxErrorRateIncrease,
    [property: JsonPropertyName("max_p99_latency_ratio")] double MaxP99LatencyRatio,
    [property: JsonPropertyName("p99_latency_slack_ms")] double P99LatencySlackMs,
    [property: JsonPropertyName("max_divergence")] double MaxDivergence,
    [property: JsonPropertyName("min_requests")] long MinRequests);

internal sealed record LimitsRecord(
    [property: JsonPropertyName("max_concurrency")] int MaxConcurrency,
    [property: JsonPropertyName("max_batch_rows")] int MaxBatchRows,
    [property: JsonPropertyName("timeout_ms")] int TimeoutMs);

internal sealed record RolloutRecord(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("champion_uri")] string ChampionUri,
    [property: JsonPropertyName("challenger_uri")] string ChallengerUri,
    [property: JsonPropertyName("steps")] IReadOnlyList<int> Steps,
    [property: JsonPropertyName("step_index")] int StepIndex,
    [property: JsonPropertyName("hold_seconds")] double? HoldSeconds,
    [property: JsonPropertyName("hold_requests")] long? HoldRequests,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("started_at")] long StartedAt,
    [property: JsonPropertyName("step_started_at")] long StepStartedAt,
    [property: JsonPropertyName("ended_at")] long? EndedAt,
    [property: JsonPropertyName("history")] IReadOnlyList<RolloutStepRecord> History);

internal sealed record RolloutStepRecord(
    [property: JsonPropertyName("percent")] int Percent,
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("started_at")] long StartedAt,
    [property: JsonPropertyName("ended_at")] long EndedAt,
    [property: JsonPropertyName("comparison")] ComparisonRecord? Comparison);

internal sealed record ComparisonRecord(
    [property: JsonPropertyName("champion_requests")] long ChampionRequests,
    [property: JsonPropertyName("challenger_requests")] long ChallengerRequests,
    [property: JsonPropertyName("champion_error_rate")] double ChampionErrorRate,
    [property: JsonPropertyName("challenger_error_rate")] double ChallengerErrorRate,
    [property: JsonPropertyName("champion_p99_ms")] double ChampionP99Ms,
    [property: JsonPropertyName("challenger_p99_ms")] double ChallengerP99Ms,
    [property: JsonPropertyName("divergence")] double Divergence);
