using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Core.Serving;
using Keel.Storage.Records;

namespace Keel.Storage.Sqlite.Schema;

/// <summary>
/// Reads the documents Keel stored before migration 5, when an endpoint row and a registry event
/// snapshot were the API's own JSON (snake_case, nulls left out, enums as their wire names,
/// int64 versions as strings, non-finite doubles as "NaN"/"Infinity"). That format is frozen: it is
/// read here field by field, never through today's wire DTOs, so later API changes cannot break
/// the upgrade of an old database.
/// </summary>
internal static class LegacyDocuments
{
    public static EndpointRecord Endpoint(string json)
    {
        var e = Object(JsonNode.Parse(json), "endpoint");
        var policy = e["policy"] as JsonObject;
        var limits = e["limits"] as JsonObject;
        var defaults = RolloutPolicy.Default;
        var limitDefaults = EndpointLimits.Default;
        return new EndpointRecord(
            EndpointDocuments.Current,
            Text(e, "name") ?? string.Empty,
            Text(e, "environment") ?? "dev",
            Text(e, "mode") ?? "single",
            Array(e, "routes").Select(r => new RouteRecord(Text(r, "model_uri") ?? string.Empty, (int)(Long(r, "weight") ?? 0), Text(r, "role") ?? "primary")).ToList(),
            new PolicyRecord(
                Double(policy, "max_error_rate_increase") ?? defaults.MaxErrorRateIncrease,
                Double(policy, "max_p99_latency_ratio") ?? defaults.MaxP99LatencyRatio,
                Double(policy, "p99_latency_slack_ms") ?? defaults.P99LatencySlackMs,
                Double(policy, "max_divergence") ?? defaults.MaxDivergence,
                Long(policy, "min_requests") ?? defaults.MinRequests),
            new LimitsRecord(
                (int)(Long(limits, "max_concurrency") ?? limitDefaults.MaxConcurrency),
                (int)(Long(limits, "max_batch_rows") ?? limitDefaults.MaxBatchRows),
                (int)(Long(limits, "timeout_ms") ?? limitDefaults.TimeoutMs)),
            Text(e, "sticky_key"),
            e["rollout"] is JsonObject rollout ? Rollout(rollout) : null,
            Array(e, "past_rollouts").Select(Rollout).ToList(),
            Long(e, "created_at") ?? 0,
            Long(e, "updated_at") ?? 0);
    }

    public static RegistrySnapshotRecord RegistrySnapshot(string json)
    {
        var o = Object(JsonNode.Parse(json), "registry snapshot");
        // A version's JSON always had a top-level "version"; a model's never did.
        return o.ContainsKey("version")
            ? new RegistrySnapshotRecord(RegistrySnapshots.Current, null, Version(o))
            : new RegistrySnapshotRecord(RegistrySnapshots.Current, Model(o), null);
    }

    private static RolloutRecord Rollout(JsonObject r) => new(
        Text(r, "id") ?? string.Empty,
        Text(r, "champion_uri") ?? string.Empty,
        Text(r, "challenger_uri") ?? string.Empty,
        Values(r, "steps").Select(s => s.TryGetValue<int>(out var step) ? step : 0).ToList(),
        (int)(Long(r, "step_index") ?? 0),
        Double(r, "hold_seconds"),
        Long(r, "hold_requests"),
        Text(r, "state") ?? "running",
        Text(r, "reason"),
        Long(r, "started_at") ?? 0,
        Long(r, "step_started_at") ?? 0,
        Long(r, "ended_at"),
        Array(r, "history").Select(s => new RolloutStepRecord(
            (int)(Long(s, "percent") ?? 0),
            Text(s, "outcome") ?? string.Empty,
            Text(s, "reason"),
            Long(s, "started_at") ?? 0,
            Long(s, "ended_at") ?? 0,
            s["comparison"] is JsonObject c
                ? new ComparisonRecord(
                    Long(c, "champion_requests") ?? 0, Long(c, "challenger_requests") ?? 0,
                    Double(c, "champion_error_rate") ?? 0, Double(c, "challenger_error_rate") ?? 0,
                    Double(c, "champion_p99_ms") ?? 0, Double(c, "challenger_p99_ms") ?? 0,
                    Double(c, "divergence") ?? 0)
                : null)).ToList());

    private static RegisteredModelRecord Model(JsonObject m) => new(
        Text(m, "name") ?? string.Empty,
        Long(m, "creation_timestamp") ?? 0,
        Long(m, "last_updated_timestamp") ?? 0,
        Text(m, "user_id"),
        Text(m, "description"),
        Array(m, "latest_versions").Select(Version).ToList(),
        Tags(m),
        Array(m, "aliases").Select(a => new AliasRecord(Text(a, "alias") ?? string.Empty, Text(a, "version") ?? string.Empty)).ToList());

    private static ModelVersionRecord Version(JsonObject v) => new(
        Text(v, "name") ?? string.Empty,
        Long(v, "version") ?? 0,
        Long(v, "creation_timestamp") ?? 0,
        Long(v, "last_updated_timestamp") ?? 0,
        Text(v, "user_id"),
        Text(v, "current_stage") ?? "None",
        Text(v, "description"),
        Text(v, "source") ?? string.Empty,
        Text(v, "run_id"),
        Text(v, "status") ?? "READY",
        Text(v, "status_message"),
        Tags(v),
        Text(v, "run_link"),
        Values(v, "aliases").Select(a => a.TryGetValue<string>(out var alias) ? alias : string.Empty).ToList(),
        null);

    private static List<TagRecord> Tags(JsonObject o) =>
        Array(o, "tags").Select(t => new TagRecord(Text(t, "key") ?? string.Empty, Text(t, "value") ?? string.Empty)).ToList();

    private static JsonObject Object(JsonNode? node, string what) =>
        node as JsonObject ?? throw SchemaVersions.Corrupt(what, "not a JSON object", null);

    private static IEnumerable<JsonObject> Array(JsonObject o, string name) =>
        o[name] is JsonArray array ? array.OfType<JsonObject>() : [];

    private static IEnumerable<JsonValue> Values(JsonObject o, string name) =>
        o[name] is JsonArray array ? array.OfType<JsonValue>() : [];

    private static string? Text(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Long(JsonObject? o, string name) => o?[name] switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => (long)d,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static double? Double(JsonObject? o, string name) => o?[name] switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) => s switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
        },
        _ => null,
    };
}
