using System.Text;
using System.Text.Json.Nodes;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>One bad request: method, path and body with {E} {R} {M} {EP} placeholders for the seeded ids.</summary>
public sealed record BadInputCase(string Name, string Method, string Path, string? ContentType, byte[]? Body);

/// <summary>
/// The table of bad requests <see cref="BadInputTests"/> sends: every state-changing route of every
/// family (tracking, registry, serving API, /invocations, V2) with a valid base body that would
/// change something if it were accepted, each spoiled in one way at a time: broken or trailing
/// JSON, wrong content types, wrong types per field, out-of-range numbers, over-limit values, deep
/// nesting, invalid UTF-8; plus value cases specific to a route and GET routes with bad arguments.
/// </summary>
public static class BadInputCases
{
    private const string Json = "application/json";
    private const string Mlflow = "/api/2.0/mlflow/";
    private const string Serving = "/api/2.0/keel/endpoints";
    private const string Jobs = "/api/2.0/keel/jobs";
    private const string Store = "/api/2.0/keel/serving-store";
    private const string Datasets = "/api/2.0/keel/datasets";
    private const string Monitor = "/api/2.0/keel/monitoring/store";
    private const string Watched = Monitor + "/endpoints/" + BadInputFixture.MonitoredEndpoint;
    private const string Bucket = """{"start": 1700000100000, "seconds": 300, "requests": 2, "stats": "{\"traffic\": 2}", "computed_at": 1700000400000}""";
    private const string Alerts = "/api/2.0/keel/alerts";
    private const string Feats = "/api/2.0/keel/features";
    private const string FeatureDefs = """{"definitions": {"entities": [{"name": "driver", "join_keys": ["driver_id"]}], "sources": [{"name": "stats", "path": "/data/stats.parquet", "timestamp_field": "ts"}], "feature_views": [{"name": "hourly", "entities": ["driver"], "source": "stats", "ttl": "1d", "features": [{"name": "conv_rate", "dtype": "Float32"}]}]}, "force": false}""";
    private const string Keel = "/api/2.0/keel";
    private const string SeededUser = "bad-input-user";
    private const string Audit = "/api/2.0/keel/audit";
    private const string AlertRule = """{"name": "bad-input-rule", "endpoint": "{EP}", "metric": "error_rate", "window": "5m", "warning": 0.1, "critical": 0.5, "direction": "above", "min_samples": 10, "for": 2, "webhooks": ["http://127.0.0.1:9/hook"], "enabled": true}""";
    private const string Pipes = "/api/2.0/keel/pipelines/store";
    private const string Pipe = Pipes + "/pipelines/" + BadInputFixture.Pipeline;
    private const string PipeRun = Pipes + "/runs/1";
    private const string NewRun = """{"pipeline": "bad-input-pipe", "pipeline_version": 1, "trigger": {"kind": "manual", "actor": "a"}, "parameters": {"lr": "0.1"}, "steps": ["train"], "dedupe_key": "d2"}""";
    private const string Flows = "/api/2.0/keel/pipelines";
    private const string Envs = "/api/2.0/keel/environments";
    private const string Approvals = "/api/2.0/keel/approvals";
    private const string Flow = Flows + "/" + BadInputFixture.Flow;
    private const string Apply = """{"definition": "name: bad-input-applied\nsteps: [{name: a, type: noop}]", "expected_version": 0}""";
    private const string Manifest = "\"manifest_digest\": \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"";
    private const string StoredEndpoint = """{"name": "bad-input-stored", "environment": "dev", "mode": "single", "routes": [{"model_uri": "models:/{M}/1", "weight": 100, "role": "primary"}], "policy": {}, "limits": {}, "past_rollouts": [], "created_at": 1, "updated_at": 1, "version": 1}""";
    private const string StatsRow = """{"endpoint": "bad-input-stored", "rollout_id": "r1", "step_index": 0, "model_uri": "models:/{M}/1", "role": "primary", "replica": "bad-input", "requests": 5, "errors": 0, "latency_buckets": [5], "samples": [1.5], "updated_at": 1}""";

    private static readonly string ValidSplit = """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1.0, 2.0, 3.0]]}}""";
    private static readonly string ValidV2 = """{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [1.0]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [2.0]}, {"name": "c", "shape": [1], "datatype": "FP64", "data": [3.0]}]}""";

    /// <summary>(method, path, base body, whether an empty object is itself a valid request).</summary>
    private static readonly (string Method, string Path, string Body, bool EmptyIsValid)[] Routes =
    [
        ("POST", Mlflow + "experiments/create", """{"name": "bad-input-created"}""", false),
        ("POST", Mlflow + "experiments/update", """{"experiment_id": "{E}", "new_name": "renamed"}""", false),
        ("POST", Mlflow + "experiments/delete", """{"experiment_id": "{E}"}""", false),
        ("POST", Mlflow + "experiments/set-experiment-tag", """{"experiment_id": "{E}", "key": "k", "value": "v"}""", false),
        // experiment_id defaults to the Default experiment, as in MLflow: an empty object is a valid create.
        ("POST", Mlflow + "runs/create", """{"experiment_id": "{E}", "run_name": "new-run"}""", true),
        ("POST", Mlflow + "runs/update", """{"run_id": "{R}", "status": "FINISHED", "end_time": 5}""", false),
        ("POST", Mlflow + "runs/delete", """{"run_id": "{R}"}""", false),
        ("POST", Mlflow + "runs/log-metric", """{"run_id": "{R}", "key": "m2", "value": 1.0, "timestamp": 1, "step": 0}""", false),
        ("POST", Mlflow + "runs/log-parameter", """{"run_id": "{R}", "key": "p2", "value": "v"}""", false),
        ("POST", Mlflow + "runs/set-tag", """{"run_id": "{R}", "key": "t2", "value": "v"}""", false),
        ("POST", Mlflow + "runs/delete-tag", """{"run_id": "{R}", "key": "t"}""", false),
        ("POST", Mlflow + "runs/log-batch", """{"run_id": "{R}", "metrics": [{"key": "b", "value": 1.0, "timestamp": 1, "step": 0}], "params": [{"key": "bp", "value": "v"}], "tags": [{"key": "bt", "value": "v"}]}""", false),
        ("POST", Mlflow + "runs/log-inputs", """{"run_id": "{R}", "datasets": [{"dataset": {"name": "d", "digest": "abc", "source_type": "local", "source": "{}"}, "tags": []}]}""", false),
        ("POST", Mlflow + "registered-models/create", """{"name": "bad-input-new-model"}""", false),
        ("POST", Mlflow + "registered-models/rename", """{"name": "{M}", "new_name": "renamed-model"}""", false),
        ("PATCH", Mlflow + "registered-models/update", """{"name": "{M}", "description": "changed"}""", false),
        ("DELETE", Mlflow + "registered-models/delete", """{"name": "{M}"}""", false),
        ("POST", Mlflow + "registered-models/set-tag", """{"name": "{M}", "key": "k2", "value": "v"}""", false),
        ("DELETE", Mlflow + "registered-models/delete-tag", """{"name": "{M}", "key": "t"}""", false),
        ("POST", Mlflow + "registered-models/alias", """{"name": "{M}", "alias": "second", "version": "1"}""", false),
        ("DELETE", Mlflow + "registered-models/alias", """{"name": "{M}", "alias": "champion"}""", false),
        ("PATCH", Mlflow + "model-versions/update", """{"name": "{M}", "version": "1", "description": "changed"}""", false),
        ("DELETE", Mlflow + "model-versions/delete", """{"name": "{M}", "version": "1"}""", false),
        ("POST", Mlflow + "model-versions/transition-stage", """{"name": "{M}", "version": "1", "stage": "Production", "archive_existing_versions": true}""", false),
        ("POST", Mlflow + "model-versions/set-tag", """{"name": "{M}", "version": "1", "key": "k", "value": "v"}""", false),
        ("DELETE", Mlflow + "model-versions/delete-tag", """{"name": "{M}", "version": "1", "key": "k"}""", false),
        ("POST", Serving, """{"name": "bad-input-ep2", "environment": "staging", "model_uri": "models:/{M}/1", "policy": {"max_divergence": 0.5}}""", false),
        ("PUT", Serving + "/{EP}/traffic", """{"mode": "canary", "model_uri": "models:/{M}/1", "weight": 10}""", false),
        ("POST", Serving + "/{EP}/rollout", """{"model_uri": "models:/{M}/1", "steps": [50, 100], "hold_seconds": 60, "policy": {"max_divergence": 0.5}}""", false),
        ("POST", Serving + "/{EP}/promote", """{"reason": "r"}""", true),
        ("POST", Serving + "/{EP}/abort", """{"reason": "r"}""", true),
        ("POST", Serving + "/{EP}/rollback", """{"reason": "r"}""", true),
        ("DELETE", Serving + "/{EP}", """{"reason": "r"}""", true),
        ("POST", "/endpoints/{EP}/invocations", ValidSplit, false),
        ("POST", "/v2/models/{EP}/infer", ValidV2, false),
        ("POST", Jobs, """{"kind": "bad-input", "idempotency_key": "bad-input-1", "max_attempts": 3, "not_before": 1}""", false),
        ("POST", Jobs + "/lease", """{"worker_id": "bad-input-worker", "kinds": ["bad-input"], "lease_seconds": 30}""", false),
        ("POST", Store + "/endpoints", "{\"endpoint\": " + StoredEndpoint + "}", false),
        ("POST", Store + "/leases/acquire", """{"name": "bad-input-lease", "holder": "bad-input", "duration_seconds": 30}""", false),
        ("POST", Store + "/stats", "{\"stats\": [" + StatsRow + "]}", false),
        ("POST", Datasets + "/bad-input-ds/versions", "{" + Manifest + ", \"format\": \"csv\", \"file_count\": 1, \"size_bytes\": 10, \"row_count\": 2, \"schema\": \"[]\"}", false),
        ("PATCH", Datasets + "/bad-input-ds", """{"description": "d", "suite": "{\"name\": \"s\", \"expectations\": []}"}""", false),
        ("PUT", Datasets + "/bad-input-ds/aliases/prod", """{"version": 1}""", false),
        ("POST", Watched + "/buckets", "{\"bucket\": " + Bucket + ", \"predictions\": [{\"request_id\": \"r9\", \"version\": \"1\", \"predicted\": \"1\", \"scores\": \"[0.5]\"}]}", false),
        ("POST", Watched + "/labels", """{"labels": [{"request_id": "r1", "label": "0"}]}""", false),
        ("PUT", Watched + "/buckets/1700000100000/quality", """{"quality": "{\"accuracy\": 1}", "read_at": 4102444800000}""", false),
        ("PUT", Watched + "/settings", """{"reference": "datasets:/ref/2", "drift": "{\"method\": \"psi\"}", "updated_at": 1700000500000}""", false),
        ("POST", Monitor + "/purge", """{"buckets_before": 4102444800000, "unmatched_labels_before": 4102444800000}""", false),
        ("POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("bad-input-rule", "bad-input-new-rule", StringComparison.Ordinal) + "]}", false),
        ("PUT", Pipe, """{"source": "steps: [train, gate]", "hash": "h2", "expected_version": 1}""", false),
        ("POST", Pipes + "/runs", NewRun, false),
        ("POST", PipeRun + "/start", """{"limit": 5, "mlflow_run_id": "m"}""", false),
        ("POST", PipeRun + "/finish", """{"state": "cancelled", "error": "e"}""", false),
        ("POST", PipeRun + "/steps/train", """{"from": "queued", "expected_attempt": 0, "to": "running", "attempt": 1}""", false),
        ("POST", PipeRun + "/steps/train/log", """{"attempt": 1, "lines": ["x"]}""", false),
        ("POST", Pipes + "/cache", """{"key": "k2", "pipeline": "bad-input-pipe", "step": "train", "run_id": 1, "outputs": {"m": "x"}, "created_at": 1}""", false),
        ("PUT", Pipe + "/triggers/nightly", """{"state": {"cursor": "2", "fired": 2, "updated_at": 2}}""", false),
        ("PUT", Alerts + "/rules/bad-input-rule", AlertRule.Replace("\"enabled\": true", "\"enabled\": false, \"expected_version\": 1", StringComparison.Ordinal), false),
        ("POST", Mlflow + "users/create", """{"username": "bad-input-new-user", "password": "a-long-password"}""", false),
        ("PATCH", Mlflow + "users/update-password", """{"username": "bad-input-user", "password": "another-password"}""", false),
        ("PATCH", Mlflow + "users/update-admin", """{"username": "bad-input-user", "is_admin": true}""", false),
        ("DELETE", Mlflow + "users/delete", """{"username": "bad-input-user"}""", false),
        ("POST", Mlflow + "experiments/permissions/create", """{"experiment_id": "{E}", "username": "bad-input-other", "permission": "READ"}""", false),
        ("PATCH", Mlflow + "experiments/permissions/update", """{"experiment_id": "{E}", "username": "bad-input-user", "permission": "MANAGE"}""", false),
        ("DELETE", Mlflow + "experiments/permissions/delete", """{"experiment_id": "{E}", "username": "bad-input-user"}""", false),
        ("POST", Mlflow + "registered-models/permissions/create", """{"name": "{M}", "username": "bad-input-other", "permission": "READ"}""", false),
        ("PATCH", Mlflow + "registered-models/permissions/update", """{"name": "{M}", "username": "bad-input-user", "permission": "MANAGE"}""", false),
        ("DELETE", Mlflow + "registered-models/permissions/delete", """{"name": "{M}", "username": "bad-input-user"}""", false),
        ("POST", Keel + "/tokens", """{"name": "bad-input-new-token", "expires_in_days": 30, "username": "bad-input-user"}""", false),
        ("PUT", Keel + "/roles", """{"principal": "user:bad-input-user", "environment": "staging", "role": "viewer"}""", false),
        ("POST", Flows, Apply, false),
        // A run takes the parameters' defaults and a plan needs no arguments: an empty object is valid.
        ("POST", Flow + "/runs", """{"params": {"v": "2"}, "idempotency_key": "bad-input-key"}""", true),
        ("POST", Flow + "/plan", """{"params": {"v": "2"}}""", true),
        // Run 1 is the store-seeded queued run: a cancel that got through would end it.
        ("POST", Flows + "/runs/1/cancel", """{"reason": "r"}""", true),
        // A policy body keeps what it leaves out, so an empty (or unknown-only) body is a valid no-op.
        ("PUT", Envs + "/bad-input-env", """{"requires_approval": true, "approval_ttl_hours": 2}""", true),
        ("PUT", Envs + "/assignments", """{"kind": "model_alias", "resource": "{M}@champion", "environment": "prod"}""", false),
        ("DELETE", Envs + "/assignments", """{"kind": "endpoint", "resource": "bad-input-unassigned"}""", false),
        ("POST", Approvals, """{"environment": "prod", "action": "release.manual", "resource": "{M}", "reason": "r"}""", false),
        ("POST", Approvals + "/999999/approve", """{"comment": "ok", "expected_version": 1}""", false),
        ("POST", Approvals + "/999999/reject", """{"comment": "no", "expected_version": 1}""", false),
        ("POST", Feats + "/apply", FeatureDefs, false),
        ("POST", Feats + "/materialization/bad-input-view", """{"state": {"view_version": 1, "watermark": 5, "rows": 1, "updated_at": 1}, "expected_revision": 0}""", false),
    ];

    private static readonly Lazy<Dictionary<string, BadInputCase>> All = new(Build);

    public static IEnumerable<object[]> Names => All.Value.Keys.Select(k => new object[] { k });

    public static BadInputCase Get(string name) => All.Value[name];

    private static Dictionary<string, BadInputCase> Build()
    {
        var cases = new Dictionary<string, BadInputCase>(StringComparer.Ordinal);
        void Add(string name, string method, string path, string? contentType, byte[]? body) =>
            cases.Add(name, new BadInputCase(name, method, path, contentType, body));
        void AddText(string name, string method, string path, string? contentType, string? body) =>
            Add(name, method, path, contentType, body is null ? null : Encoding.UTF8.GetBytes(body));

        foreach (var (method, path, body, emptyIsValid) in Routes)
        {
            var route = $"{method} {path}";
            AddText($"{route}: trailing text", method, path, Json, body + " xyz");
            AddText($"{route}: a second JSON value", method, path, Json, body + body);
            AddText($"{route}: truncated JSON", method, path, Json, body[..^1]);
            AddText($"{route}: JSON with a comment", method, path, Json, "/* c */ " + body);
            AddText($"{route}: text/plain", method, path, "text/plain", body);
            AddText($"{route}: form", method, path, "application/x-www-form-urlencoded", "name=x&reason=y");
            AddText($"{route}: multipart", method, path, "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n" + body + "\r\n--b--");
            AddText($"{route}: no content type, JSON body", method, path, null, body);
            AddText($"{route}: no content type, no body", method, path, null, null);
            AddText($"{route}: application/json-seq", method, path, "application/json-seq", body);
            AddText($"{route}: deep nesting", method, path, Json, "{\"deep\": " + new string('[', 5000) + new string(']', 5000) + "}");
            Add($"{route}: invalid UTF-8", method, path, Json, [.. Encoding.UTF8.GetBytes("{\"name\": \""), 0xff, 0xfe, .. Encoding.UTF8.GetBytes("\", \"reason\": \""), 0xc3, .. Encoding.UTF8.GetBytes("\"}")]);
            AddText($"{route}: root array", method, path, Json, "[" + body + "]");
            AddText($"{route}: root number", method, path, Json, "5");
            if (!emptyIsValid)
            {
                AddText($"{route}: empty object", method, path, Json, "{}");
                AddText($"{route}: empty body", method, path, Json, string.Empty);
                AddText($"{route}: JSON null", method, path, Json, "null");
                AddText($"{route}: unknown fields only", method, path, Json, """{"unknown_field": 1, "another": {"x": [1]}}""");
            }

            foreach (var (field, kind, spoiled) in WrongTypes(body))
            {
                AddText($"{route}: {field} as {kind}", method, path, Json, spoiled);
            }
        }

        AddValueCases(AddText);
        AddGetCases(AddText);
        return cases;
    }

    /// <summary>Each top-level field (and each field of a first-level object) replaced by values of the wrong JSON type.</summary>
    private static IEnumerable<(string Field, string Kind, string Body)> WrongTypes(string body)
    {
        var root = JsonNode.Parse(body)!.AsObject();
        foreach (var (name, value) in root.ToList())
        {
            foreach (var (kind, wrong) in WrongFor(value))
            {
                var copy = root.DeepClone().AsObject();
                copy[name] = wrong;
                yield return (name, kind, copy.ToJsonString());
            }

            if (value is JsonObject inner && name is not "dataframe_split")
            {
                foreach (var (innerName, innerValue) in inner.ToList())
                {
                    foreach (var (kind, wrong) in WrongFor(innerValue))
                    {
                        var copy = root.DeepClone().AsObject();
                        copy[name]![innerName] = wrong;
                        yield return ($"{name}.{innerName}", kind, copy.ToJsonString());
                    }
                }
            }
        }
    }

    private static IEnumerable<(string Kind, JsonNode Value)> WrongFor(JsonNode? value) => value switch
    {
        JsonObject => [("a string", JsonValue.Create("not-an-object")), ("a list", new JsonArray(1))],
        JsonArray => [("an object", new JsonObject { ["x"] = 1 }), ("a string", JsonValue.Create("not-a-list"))],
        _ when value?.GetValueKind() == System.Text.Json.JsonValueKind.String => [("an object", new JsonObject { ["x"] = 1 }), ("a list", new JsonArray(1, 2))],
        _ when value?.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => [("a string", JsonValue.Create("yes")), ("an object", new JsonObject())],
        _ => [("an object", new JsonObject { ["x"] = 1 }), ("a boolean", JsonValue.Create(true))],
    };

    /// <summary>The high-level pipeline the fixture applies, as it sits in a JSON string.</summary>
    private const string FlowDefinition = "name: " + BadInputFixture.Flow + "\\nparams: {v: \\\"1\\\"}\\nsteps: [{name: a, type: noop, params: {value: \\\"${params.v}\\\"}}]";

    /// <summary>An apply body for a definition already escaped for a JSON string, with more fields.</summary>
    private static string Def(string escapedDefinition, string more = "") => "{\"definition\": \"" + escapedDefinition + "\"" + more + "}";

    private static string Describe(int index, string body) =>
        $"#{index} " + (body.Length <= 160 ? body : body[..160] + "...");

    private static void AddValueCases(Action<string, string, string, string?, string?> add)
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 6001));
        (string Name, string Method, string Path, string Body)[] values =
        [
            ("environments: name with capitals", "PUT", Envs + "/Prod", """{"requires_approval": true}"""),
            ("features/apply: ttl 10x", "POST", Feats + "/apply", FeatureDefs.Replace("\"1d\"", "\"10x\"", StringComparison.Ordinal)),
            ("features/apply: unknown entity", "POST", Feats + "/apply", FeatureDefs.Replace("\"entities\": [\"driver\"]", "\"entities\": [\"drivr\"]", StringComparison.Ordinal)),
            ("features/apply: unknown dtype", "POST", Feats + "/apply", FeatureDefs.Replace("Float32", "Float", StringComparison.Ordinal)),
            ("features/apply: relative path", "POST", Feats + "/apply", FeatureDefs.Replace("/data/stats.parquet", "data/stats.parquet", StringComparison.Ordinal)),
            ("features/apply: feature named as the join key", "POST", Feats + "/apply", FeatureDefs.Replace("\"name\": \"conv_rate\"", "\"name\": \"driver_id\"", StringComparison.Ordinal)),
            ("features/apply: stale expected_revision", "POST", Feats + "/apply", FeatureDefs.Replace("\"force\": false", "\"expected_revision\": 7", StringComparison.Ordinal)),
            ("features/apply: changes without expected_revision", "POST", Feats + "/apply", """{"changes": [{"kind": "entity", "name": "e", "new_version": true, "entity": {"name": "e", "join_keys": ["k"]}}]}"""),
            ("features/apply: change of an unknown kind", "POST", Feats + "/apply", """{"changes": [{"kind": "table", "name": "e", "new_version": true}], "expected_revision": 0}"""),
            ("features/apply: one definition changed twice", "POST", Feats + "/apply", """{"changes": [{"kind": "entity", "name": "e", "new_version": true, "entity": {"name": "e", "join_keys": ["k"]}}, {"kind": "entity", "name": "e", "new_version": true, "entity": {"name": "e", "join_keys": ["j"]}}], "expected_revision": 0}"""),
            ("features/apply: delete of nothing", "POST", Feats + "/apply", """{"changes": [{"kind": "entity", "name": "ghost"}], "expected_revision": 0}"""),
            ("features/plan: unknown view in a service", "POST", Feats + "/plan", """{"definitions": {"feature_services": [{"name": "s", "features": ["x:y"]}]}}"""),
            ("features/materialization: stale revision", "POST", Feats + "/materialization/bad-input-view", """{"state": {"view_version": 1, "watermark": 5, "rows": 1}, "expected_revision": 3}"""),
            ("features/materialization: view_version 0", "POST", Feats + "/materialization/bad-input-view", """{"state": {"view_version": 0, "watermark": 5, "rows": 1}, "expected_revision": 0}"""),
            ("features/materialization: another view in the body", "POST", Feats + "/materialization/bad-input-view", """{"state": {"view": "other", "view_version": 1, "watermark": 5, "rows": 1}, "expected_revision": 0}"""),
            ("environments: ttl 0 hours", "PUT", Envs + "/bad-input-env", """{"approval_ttl_hours": 0}"""),
            ("environments: ttl over a year", "PUT", Envs + "/bad-input-env", """{"approval_ttl_hours": 100000}"""),
            ("environments/assignments: unknown kind", "PUT", Envs + "/assignments", """{"kind": "experiment", "resource": "x", "environment": "prod"}"""),
            ("environments/assignments: alias without @", "PUT", Envs + "/assignments", """{"kind": "model_alias", "resource": "{M}", "environment": "prod"}"""),
            ("environments/assignments: reserved alias latest", "PUT", Envs + "/assignments", """{"kind": "model_alias", "resource": "{M}@latest", "environment": "prod"}"""),
            ("environments/assignments: endpoint name with @", "PUT", Envs + "/assignments", """{"kind": "endpoint", "resource": "a@b", "environment": "prod"}"""),
            ("environments/assignments: bad environment", "PUT", Envs + "/assignments", """{"kind": "endpoint", "resource": "x", "environment": "PROD!"}"""),
            ("approvals: unknown action form", "POST", Approvals, """{"environment": "prod", "action": "Release", "resource": "x"}"""),
            ("approvals: request not an object", "POST", Approvals, """{"environment": "prod", "action": "release.manual", "resource": "x", "request": [1]}"""),
            ("approvals: no environment nor kind", "POST", Approvals, """{"action": "release.manual", "resource": "x"}"""),
            ("approvals: approve id not a number", "POST", Approvals + "/abc/approve", """{"comment": "ok"}"""),
            ("approvals: approve id 0", "POST", Approvals + "/0/approve", """{"comment": "ok"}"""),
            ("approvals: reject without comment", "POST", Approvals + "/999999/reject", """{"expected_version": 1}"""),
            ("log-metric: value 1e400 (out of range)", "POST", Mlflow + "runs/log-metric", """{"run_id": "{R}", "key": "m", "value": 1e400, "timestamp": 1, "step": 0}"""),
            ("log-metric: value -1e400", "POST", Mlflow + "runs/log-metric", """{"run_id": "{R}", "key": "m", "value": -1e400, "timestamp": 1, "step": 0}"""),
            ("log-metric: value \"1e400\" as a string", "POST", Mlflow + "runs/log-metric", """{"run_id": "{R}", "key": "m", "value": "1e400", "timestamp": 1, "step": 0}"""),
            ("log-metric: timestamp 1e400", "POST", Mlflow + "runs/log-metric", """{"run_id": "{R}", "key": "m", "value": 1, "timestamp": 1e400, "step": 0}"""),
            ("log-metric: step 1e400", "POST", Mlflow + "runs/log-metric", """{"run_id": "{R}", "key": "m", "value": 1, "timestamp": 1, "step": 1e400}"""),
            ("log-metric: step 1.5", "POST", Mlflow + "runs/log-metric", """{"run_id": "{R}", "key": "m", "value": 1, "timestamp": 1, "step": 1.5}"""),
            ("log-metric: step 2^63", "POST", Mlflow + "runs/log-metric", """{"run_id": "{R}", "key": "m", "value": 1, "timestamp": 1, "step": 9223372036854775808}"""),
            ("log-metric: negative timestamp", "POST", Mlflow + "runs/log-metric", """{"run_id": "{R}", "key": "m", "value": 1, "timestamp": -1, "step": 0}"""),
            ("log-metric: value true", "POST", Mlflow + "runs/log-metric", """{"run_id": "{R}", "key": "m", "value": true, "timestamp": 1, "step": 0}"""),
            ("log-metric: key 251 characters", "POST", Mlflow + "runs/log-metric", $$"""{"run_id": "{R}", "key": "{{new string('k', 251)}}", "value": 1, "timestamp": 1, "step": 0}"""),
            ("log-batch: metric value 1e400", "POST", Mlflow + "runs/log-batch", """{"run_id": "{R}", "metrics": [{"key": "b", "value": 1e400, "timestamp": 1, "step": 0}]}"""),
            ("log-batch: metric value \"1e400\"", "POST", Mlflow + "runs/log-batch", """{"run_id": "{R}", "metrics": [{"key": "b", "value": "1e400", "timestamp": 1, "step": 0}]}"""),
            ("log-batch: 1001 metrics", "POST", Mlflow + "runs/log-batch", "{\"run_id\": \"{R}\", \"metrics\": [" + string.Join(", ", Enumerable.Range(0, 1001).Select(i => $"{{\"key\": \"b\", \"value\": 1, \"timestamp\": 1, \"step\": {i}}}")) + "]}"),
            ("log-batch: over 1 MB", "POST", Mlflow + "runs/log-batch", "{\"run_id\": \"{R}\", \"tags\": [{\"key\": \"t\", \"value\": \"" + new string('x', 1_100_000) + "\"}]}"),
            ("log-batch: duplicate param keys", "POST", Mlflow + "runs/log-batch", """{"run_id": "{R}", "params": [{"key": "a", "value": "1"}, {"key": "a", "value": "2"}]}"""),
            ("log-batch: param value 6001 emoji", "POST", Mlflow + "runs/log-batch", "{\"run_id\": \"{R}\", \"params\": [{\"key\": \"e\", \"value\": \"" + emoji + "\"}]}"),
            ("log-parameter: value 6001 emoji", "POST", Mlflow + "runs/log-parameter", "{\"run_id\": \"{R}\", \"key\": \"e\", \"value\": \"" + emoji + "\"}"),
            ("log-parameter: changing a logged value", "POST", Mlflow + "runs/log-parameter", """{"run_id": "{R}", "key": "p", "value": "other"}"""),
            ("set-tag: value 5001 characters", "POST", Mlflow + "runs/set-tag", "{\"run_id\": \"{R}\", \"key\": \"t\", \"value\": \"" + new string('v', 5001) + "\"}"),
            ("set-experiment-tag: value 5001 characters", "POST", Mlflow + "experiments/set-experiment-tag", "{\"experiment_id\": \"{E}\", \"key\": \"t\", \"value\": \"" + new string('v', 5001) + "\"}"),
            ("registered-models/set-tag: value 5001 characters", "POST", Mlflow + "registered-models/set-tag", "{\"name\": \"{M}\", \"key\": \"t\", \"value\": \"" + new string('v', 5001) + "\"}"),
            ("runs/update: unknown status", "POST", Mlflow + "runs/update", """{"run_id": "{R}", "status": "EXPLODED"}"""),
            ("runs/create: unknown experiment", "POST", Mlflow + "runs/create", """{"experiment_id": "999999"}"""),
            ("transition-stage: unknown stage", "POST", Mlflow + "model-versions/transition-stage", """{"name": "{M}", "version": "1", "stage": "Sideways", "archive_existing_versions": false}"""),
            ("transition-stage: version not a number", "POST", Mlflow + "model-versions/transition-stage", """{"name": "{M}", "version": "one", "stage": "Production", "archive_existing_versions": false}"""),
            ("alias: version that does not exist", "POST", Mlflow + "registered-models/alias", """{"name": "{M}", "alias": "x", "version": "99"}"""),
            ("runs/search: 1000 AND-ed clauses", "POST", Mlflow + "runs/search", "{\"experiment_ids\": [\"{E}\"], \"filter\": \"" + string.Join(" AND ", Enumerable.Range(0, 1000).Select(i => $"metrics.m{i} > 0")) + "\"}"),
            ("runs/search: 64 order_by items", "POST", Mlflow + "runs/search", "{\"experiment_ids\": [\"{E}\"], \"order_by\": [" + string.Join(", ", Enumerable.Range(0, 64).Select(i => $"\"metrics.m{i} DESC\"")) + "]}"),
            ("runs/search: IN list of 20000 run ids", "POST", Mlflow + "runs/search", "{\"experiment_ids\": [\"{E}\"], \"filter\": \"attributes.run_id IN (" + string.Join(", ", Enumerable.Range(0, 20000).Select(i => $"'r{i}'")) + ")\"}"),
            ("runs/search: LIKE pattern of 60000 characters", "POST", Mlflow + "runs/search", "{\"experiment_ids\": [\"{E}\"], \"filter\": \"params.p LIKE '" + new string('%', 60000) + "'\"}"),
            ("runs/search: max_results 1e400", "POST", Mlflow + "runs/search", """{"experiment_ids": ["{E}"], "max_results": 1e400}"""),
            ("runs/search: max_results 50001", "POST", Mlflow + "runs/search", """{"experiment_ids": ["{E}"], "max_results": 50001}"""),
            ("runs/search: garbage page token", "POST", Mlflow + "runs/search", """{"experiment_ids": ["{E}"], "page_token": "%%%not-a-token"}"""),
            ("experiments/search: 1000 AND-ed clauses", "POST", Mlflow + "experiments/search", "{\"filter\": \"" + string.Join(" AND ", Enumerable.Range(0, 1000).Select(i => $"tags.t{i} = 'x'")) + "\"}"),
            ("endpoints: policy max_divergence 1e400", "POST", Serving, """{"name": "bad-input-ep3", "environment": "staging", "model_uri": "models:/{M}/1", "policy": {"max_divergence": 1e400}}"""),
            ("endpoints: policy p99 slack 1e400", "POST", Serving, """{"name": "bad-input-ep3", "environment": "staging", "model_uri": "models:/{M}/1", "policy": {"p99_latency_slack_ms": 1e400}}"""),
            ("endpoints: name with a slash", "POST", Serving, """{"name": "a/b", "environment": "staging", "model_uri": "models:/{M}/1"}"""),
            ("endpoints: sensitive column mode unknown", "POST", Serving, """{"name": "bad-input-ep3", "environment": "staging", "model_uri": "models:/{M}/1", "sensitive_columns": {"email": "encrypt"}}"""),
            ("endpoints: sensitive column without a name", "POST", Serving, """{"name": "bad-input-ep3", "environment": "staging", "model_uri": "models:/{M}/1", "sensitive_columns": {"": "mask"}}"""),
            ("serving-store/endpoints: unknown sensitive column mode", "POST", Store + "/endpoints", "{\"endpoint\": " + StoredEndpoint.Replace("\"version\": 1", "\"version\": 1, \"sensitive_columns\": {\"email\": \"encrypt\"}", StringComparison.Ordinal) + "}"),
            ("endpoints: model that does not exist", "POST", Serving, """{"name": "bad-input-ep3", "environment": "staging", "model_uri": "models:/no-such-model/1"}"""),
            ("rollout: hold_seconds 1e400", "POST", Serving + "/{EP}/rollout", """{"model_uri": "models:/{M}/1", "steps": [50, 100], "hold_seconds": 1e400}"""),
            ("rollout: steps [1e400]", "POST", Serving + "/{EP}/rollout", """{"model_uri": "models:/{M}/1", "steps": [1e400]}"""),
            ("jobs: max_attempts 1e400", "POST", Jobs, """{"kind": "bad-input", "max_attempts": 1e400}"""),
            ("jobs: max_attempts 0", "POST", Jobs, """{"kind": "bad-input", "max_attempts": 0}"""),
            ("jobs: kind in capitals", "POST", Jobs, """{"kind": "Bad-Input"}"""),
            ("jobs: payload over 1 MB", "POST", Jobs, "{\"kind\": \"bad-input\", \"payload\": \"" + new string('x', 1_100_000) + "\"}"),
            ("jobs: negative not_before", "POST", Jobs, """{"kind": "bad-input", "not_before": -1}"""),
            ("jobs/lease: lease_seconds 1e400", "POST", Jobs + "/lease", """{"worker_id": "w", "kinds": ["bad-input"], "lease_seconds": 1e400}"""),
            ("jobs/lease: lease_seconds 0", "POST", Jobs + "/lease", """{"worker_id": "w", "kinds": ["bad-input"], "lease_seconds": 0}"""),
            ("jobs/lease: no kinds", "POST", Jobs + "/lease", """{"worker_id": "w", "kinds": [], "lease_seconds": 30}"""),
            ("jobs/complete: job id not a number", "POST", Jobs + "/abc/complete", """{"lease_token": "t"}"""),
            ("jobs/fail: retry_delay_seconds -1", "POST", Jobs + "/1/fail", """{"lease_token": "t", "error": "e", "retry_delay_seconds": -1}"""),
            ("serving-store/endpoints: name with a slash", "POST", Store + "/endpoints", "{\"endpoint\": " + StoredEndpoint.Replace("bad-input-stored", "a/b", StringComparison.Ordinal) + "}"),
            ("serving-store/endpoints: weight 150", "POST", Store + "/endpoints", "{\"endpoint\": " + StoredEndpoint.Replace("\"weight\": 100", "\"weight\": 150", StringComparison.Ordinal) + "}"),
            ("serving-store/endpoints: no routes", "POST", Store + "/endpoints", "{\"endpoint\": " + StoredEndpoint.Replace("[{\"model_uri\": \"models:/{M}/1\", \"weight\": 100, \"role\": \"primary\"}]", "[]", StringComparison.Ordinal) + "}"),
            ("serving-store/endpoints: version 0", "POST", Store + "/endpoints", "{\"endpoint\": " + StoredEndpoint.Replace("\"version\": 1", "\"version\": 0", StringComparison.Ordinal) + "}"),
            ("serving-store/endpoints: unknown environment", "POST", Store + "/endpoints", "{\"endpoint\": " + StoredEndpoint.Replace("\"dev\"", "\"moon\"", StringComparison.Ordinal) + "}"),
            ("serving-store/endpoints: path and body name differ", "PUT", Store + "/endpoints/{EP}", "{\"action\": \"x\", \"endpoint\": " + StoredEndpoint.Replace("\"version\": 1", "\"version\": 2", StringComparison.Ordinal) + "}"),
            ("serving-store/endpoints: update without action", "PUT", Store + "/endpoints/{EP}", "{\"endpoint\": " + StoredEndpoint.Replace("bad-input-stored", "{EP}", StringComparison.Ordinal).Replace("\"version\": 1", "\"version\": 2", StringComparison.Ordinal) + "}"),
            ("serving-store/endpoints: fence epoch 0", "PUT", Store + "/endpoints/{EP}", "{\"action\": \"x\", \"fence\": {\"name\": \"n\", \"holder\": \"h\", \"epoch\": 0}, \"endpoint\": " + StoredEndpoint.Replace("bad-input-stored", "{EP}", StringComparison.Ordinal).Replace("\"version\": 1", "\"version\": 2", StringComparison.Ordinal) + "}"),
            ("serving-store/leases: duration 0", "POST", Store + "/leases/acquire", """{"name": "bad-input-lease", "holder": "h", "duration_seconds": 0}"""),
            ("serving-store/leases: duration 1e400", "POST", Store + "/leases/acquire", """{"name": "bad-input-lease", "holder": "h", "duration_seconds": 1e400}"""),
            ("serving-store/leases: no holder", "POST", Store + "/leases/acquire", """{"name": "bad-input-lease", "duration_seconds": 30}"""),
            ("serving-store/stats: no rows", "POST", Store + "/stats", """{"stats": []}"""),
            ("serving-store/stats: negative requests", "POST", Store + "/stats", "{\"stats\": [" + StatsRow.Replace("\"requests\": 5", "\"requests\": -5", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: unknown metric", "POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("error_rate", "latency_p90", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: window 7m", "POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("\"5m\"", "\"7m\"", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: thresholds out of order", "POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("\"direction\": \"above\"", "\"direction\": \"below\"", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: no threshold", "POST", Alerts + "/rules", """{"rules": [{"name": "r", "endpoint": "e", "metric": "traffic", "window": "1h"}]}"""),
            ("alerts/rules: unknown direction", "POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("\"above\"", "\"sideways\"", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: for 0", "POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("\"for\": 2", "\"for\": 0", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: min_samples -1", "POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("\"min_samples\": 10", "\"min_samples\": -1", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: ftp webhook", "POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("http://127.0.0.1:9/hook", "ftp://127.0.0.1/hook", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: relative webhook", "POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("http://127.0.0.1:9/hook", "/hook", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: name with a space", "POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("bad-input-rule", "bad rule", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: one good one bad", "POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("bad-input-rule", "bad-input-good", StringComparison.Ordinal) + ", " + AlertRule.Replace("\"window\": \"5m\"", "\"window\": \"\"", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: the same name twice", "POST", Alerts + "/rules", "{\"rules\": [" + AlertRule.Replace("bad-input-rule", "bad-input-twice", StringComparison.Ordinal) + ", " + AlertRule.Replace("bad-input-rule", "bad-input-twice", StringComparison.Ordinal) + "]}"),
            ("alerts/rules: no rules", "POST", Alerts + "/rules", """{"rules": []}"""),
            ("alerts/rules: stale expected_version", "PUT", Alerts + "/rules/bad-input-rule", AlertRule.Replace("\"enabled\": true", "\"enabled\": false, \"expected_version\": 7", StringComparison.Ordinal)),
            ("alerts/rules: new rule expected to exist", "PUT", Alerts + "/rules/bad-input-other", AlertRule.Replace("bad-input-rule", "bad-input-other", StringComparison.Ordinal).Replace("\"enabled\": true", "\"expected_version\": 3", StringComparison.Ordinal)),
            ("alerts/rules: path and body name differ", "PUT", Alerts + "/rules/bad-input-rule", AlertRule.Replace("bad-input-rule", "another-rule", StringComparison.Ordinal)),
            ("alerts/rules: delete unknown", "DELETE", Alerts + "/rules/no-such-rule", "{}"),
            ("alerts/ack: id not a number", "POST", Alerts + "/abc/ack", """{"by": "bob"}"""),
            ("alerts/ack: unknown alert", "POST", Alerts + "/999999/ack", """{"by": "bob"}"""),
            ("users/create: password of 7 characters", "POST", Mlflow + "users/create", """{"username": "bad-input-new-user", "password": "1234567"}"""),
            ("users/create: username with a space", "POST", Mlflow + "users/create", """{"username": "bad user", "password": "a-long-password"}"""),
            ("users/create: username taken", "POST", Mlflow + "users/create", """{"username": "bad-input-user", "password": "a-long-password"}"""),
            ("users/update-password: password empty", "PATCH", Mlflow + "users/update-password", """{"username": "bad-input-user", "password": ""}"""),
            ("users/update-password: unknown user", "PATCH", Mlflow + "users/update-password", """{"username": "no-such-user", "password": "a-long-password"}"""),
            ("users/update-admin: no is_admin", "PATCH", Mlflow + "users/update-admin", """{"username": "bad-input-user"}"""),
            ("users/delete: unknown user", "DELETE", Mlflow + "users/delete", """{"username": "no-such-user"}"""),
            ("experiments/permissions: permission in lowercase", "POST", Mlflow + "experiments/permissions/create", """{"experiment_id": "{E}", "username": "bad-input-other", "permission": "read"}"""),
            ("experiments/permissions: experiment_id not a number", "POST", Mlflow + "experiments/permissions/create", """{"experiment_id": "abc", "username": "bad-input-other", "permission": "READ"}"""),
            ("experiments/permissions: unknown user", "POST", Mlflow + "experiments/permissions/create", """{"experiment_id": "{E}", "username": "no-such-user", "permission": "READ"}"""),
            ("experiments/permissions: already granted", "POST", Mlflow + "experiments/permissions/create", """{"experiment_id": "{E}", "username": "bad-input-user", "permission": "EDIT"}"""),
            ("experiments/permissions: update a missing row", "PATCH", Mlflow + "experiments/permissions/update", """{"experiment_id": "{E}", "username": "bad-input-other", "permission": "EDIT"}"""),
            ("registered-models/permissions: permission OWNER", "PATCH", Mlflow + "registered-models/permissions/update", """{"name": "{M}", "username": "bad-input-user", "permission": "OWNER"}"""),
            ("registered-models/permissions: delete a missing row", "DELETE", Mlflow + "registered-models/permissions/delete", """{"name": "{M}", "username": "bad-input-other"}"""),
            ("tokens: expires_in_days 0", "POST", Keel + "/tokens", """{"name": "t", "expires_in_days": 0, "username": "bad-input-user"}"""),
            ("tokens: expires_in_days 3651", "POST", Keel + "/tokens", """{"name": "t", "expires_in_days": 3651, "username": "bad-input-user"}"""),
            ("tokens: name of 65 characters", "POST", Keel + "/tokens", "{\"name\": \"" + new string('t', 65) + "\", \"username\": \"bad-input-user\"}"),
            ("tokens: unknown user", "POST", Keel + "/tokens", """{"name": "t", "username": "no-such-user"}"""),
            ("tokens/revoke: id of 3 characters", "POST", Keel + "/tokens/abc/revoke", "{}"),
            ("tokens/revoke: unknown id", "POST", Keel + "/tokens/zzzzzzzzzzzz/revoke", "{}"),
            ("groups/members: group name with a space", "PUT", Keel + "/groups/bad%20group/members/" + SeededUser, "{}"),
            ("groups/members: group name in capitals", "PUT", Keel + "/groups/Ops/members/" + SeededUser, "{}"),
            ("groups/members: unknown user", "PUT", Keel + "/groups/bad-input-group/members/no-such-user", "{}"),
            ("groups/members: remove with a bad username", "DELETE", Keel + "/groups/bad-input-group/members/a%20b", "{}"),
            ("roles: role owner", "PUT", Keel + "/roles", """{"principal": "user:bad-input-user", "environment": "prod", "role": "owner"}"""),
            ("roles: environment in capitals", "PUT", Keel + "/roles", """{"principal": "user:bad-input-user", "environment": "Prod", "role": "viewer"}"""),
            ("roles: principal without a kind", "PUT", Keel + "/roles", """{"principal": "bad-input-user", "environment": "prod", "role": "viewer"}"""),
            ("roles: unknown user", "PUT", Keel + "/roles", """{"principal": "user:no-such-user", "environment": "prod", "role": "viewer"}"""),
            ("roles: remove without environment", "DELETE", Keel + "/roles?principal=group:bad-input-group", "{}"),
            ("roles: remove with a bad principal", "DELETE", Keel + "/roles?principal=team:x&environment=prod", "{}"),
            ("alerts/ack: by with a control character", "POST", Alerts + "/999999/ack", """{"by": "bo\u0001b"}"""),
            ("alerts/ack: by empty", "POST", Alerts + "/1/ack", """{"by": ""}"""),
            ("datasets/versions: name with a slash", "POST", Datasets + "/a%2Fb/versions", "{" + Manifest + ", \"format\": \"csv\", \"file_count\": 1, \"size_bytes\": 10}"),
            ("datasets/versions: short digest", "POST", Datasets + "/bad-input-ds/versions", """{"manifest_digest": "abc", "format": "csv", "file_count": 1, "size_bytes": 10}"""),
            ("datasets/versions: unknown format", "POST", Datasets + "/bad-input-ds/versions", "{" + Manifest + ", \"format\": \"xlsx\", \"file_count\": 1, \"size_bytes\": 10}"),
            ("datasets/versions: negative size", "POST", Datasets + "/bad-input-ds/versions", "{" + Manifest + ", \"format\": \"csv\", \"file_count\": 1, \"size_bytes\": -10}"),
            ("datasets/versions: profile not JSON", "POST", Datasets + "/bad-input-ds/versions", "{" + Manifest + ", \"format\": \"csv\", \"file_count\": 1, \"size_bytes\": 10, \"profile\": \"{nope\"}"),
            ("datasets/versions: schema an object", "POST", Datasets + "/bad-input-ds/versions", "{" + Manifest + ", \"format\": \"csv\", \"file_count\": 1, \"size_bytes\": 10, \"schema\": \"{}\"}"),
            ("features/online: unknown view", "POST", Keel + "/features/online", """{"features": ["no_such_view:x"], "entities": {"driver_id": [1001]}}"""),
            ("features/online: not view:feature", "POST", Keel + "/features/online", """{"features": ["conv_rate"], "entities": {"driver_id": [1001]}}"""),
            ("features/online: unknown service", "POST", Keel + "/features/online", """{"feature_service": "no_such_service", "entities": {"driver_id": [1001]}}"""),
            ("features/online: neither features nor service", "POST", Keel + "/features/online", """{"entities": {"driver_id": [1001]}}"""),
            ("features/online: entity value an object", "POST", Keel + "/features/online", """{"features": ["v:x"], "entities": {"driver_id": [{"a": 1}]}}"""),
            ("features/online: entities not lists", "POST", Keel + "/features/online", """{"features": ["v:x"], "entities": {"driver_id": 1001}}"""),
            ("datasets/aliases: alias latest", "PUT", Datasets + "/bad-input-ds/aliases/latest", """{"version": 1}"""),
            ("datasets/aliases: version 0", "PUT", Datasets + "/bad-input-ds/aliases/prod", """{"version": 0}"""),
            ("datasets/update: suite not an object", "PATCH", Datasets + "/bad-input-ds", """{"suite": "[1]"}"""),
            ("monitoring/buckets: seconds 0", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket.Replace("\"seconds\": 300", "\"seconds\": 0", StringComparison.Ordinal) + "}"),
            ("monitoring/buckets: seconds 86401", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket.Replace("\"seconds\": 300", "\"seconds\": 86401", StringComparison.Ordinal) + "}"),
            ("monitoring/buckets: seconds 1e400", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket.Replace("\"seconds\": 300", "\"seconds\": 1e400", StringComparison.Ordinal) + "}"),
            ("monitoring/buckets: negative start", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket.Replace("1700000100000", "-300000", StringComparison.Ordinal) + "}"),
            ("monitoring/buckets: start past year 9999", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket.Replace("1700000100000", "253402300800000", StringComparison.Ordinal) + "}"),
            ("monitoring/buckets: negative requests", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket.Replace("\"requests\": 2", "\"requests\": -2", StringComparison.Ordinal) + "}"),
            ("monitoring/buckets: stats an array", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket.Replace("{\\\"traffic\\\": 2}", "[2]", StringComparison.Ordinal) + "}"),
            ("monitoring/buckets: stats not JSON", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket.Replace("{\\\"traffic\\\": 2}", "{traffic", StringComparison.Ordinal) + "}"),
            ("monitoring/buckets: endpoint differs from the path", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket.Replace("{\"start\"", "{\"endpoint\": \"other\", \"start\"", StringComparison.Ordinal) + "}"),
            ("monitoring/buckets: endpoint name with a space", "POST", Monitor + "/endpoints/a%20b/buckets", "{\"bucket\": " + Bucket + "}"),
            ("monitoring/buckets: duplicate request ids", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket + ", \"predictions\": [{\"request_id\": \"p\", \"version\": \"1\", \"predicted\": \"1\"}, {\"request_id\": \"p\", \"version\": \"1\", \"predicted\": \"0\"}]}"),
            ("monitoring/buckets: prediction without version", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket + ", \"predictions\": [{\"request_id\": \"p\", \"predicted\": \"1\"}]}"),
            ("monitoring/buckets: predicted not JSON", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket + ", \"predictions\": [{\"request_id\": \"p\", \"version\": \"1\", \"predicted\": \"yes\"}]}"),
            ("monitoring/buckets: a null prediction", "POST", Watched + "/buckets", "{\"bucket\": " + Bucket + ", \"predictions\": [null]}"),
            ("monitoring/labels: no labels", "POST", Watched + "/labels", """{"labels": []}"""),
            ("monitoring/labels: duplicate request ids", "POST", Watched + "/labels", """{"labels": [{"request_id": "r1", "label": "0"}, {"request_id": "r1", "label": "1"}]}"""),
            ("monitoring/labels: empty request id", "POST", Watched + "/labels", """{"labels": [{"request_id": "", "label": "0"}]}"""),
            ("monitoring/labels: request id of 201 characters", "POST", Watched + "/labels", "{\"labels\": [{\"request_id\": \"" + new string('r', 201) + "\", \"label\": \"0\"}]}"),
            ("monitoring/labels: request id with a control character", "POST", Watched + "/labels", """{"labels": [{"request_id": "r\u0001", "label": "0"}]}"""),
            ("monitoring/labels: label not JSON", "POST", Watched + "/labels", """{"labels": [{"request_id": "r1", "label": "{nope"}]}"""),
            ("monitoring/labels: label missing", "POST", Watched + "/labels", """{"labels": [{"request_id": "r1"}]}"""),
            ("monitoring/labels: 100001 labels", "POST", Watched + "/labels", "{\"labels\": [" + string.Join(", ", Enumerable.Range(0, 100_001).Select(i => $"{{\"request_id\": \"q{i}\", \"label\": \"1\"}}")) + "]}"),
            ("monitoring/quality: quality an array", "PUT", Watched + "/buckets/1700000100000/quality", """{"quality": "[1]", "read_at": 1}"""),
            ("monitoring/quality: negative read_at", "PUT", Watched + "/buckets/1700000100000/quality", """{"quality": "{}", "read_at": -1}"""),
            ("monitoring/quality: start not a number", "PUT", Watched + "/buckets/abc/quality", """{"quality": "{}", "read_at": 1}"""),
            ("monitoring/settings: reference an alias", "PUT", Watched + "/settings", """{"reference": "datasets:/ref@prod", "updated_at": 1}"""),
            ("monitoring/settings: reference a model", "PUT", Watched + "/settings", """{"reference": "models:/m/1", "updated_at": 1}"""),
            ("monitoring/settings: drift an array", "PUT", Watched + "/settings", """{"drift": "[1]", "updated_at": 1}"""),
            ("monitoring/settings: endpoint differs from the path", "PUT", Watched + "/settings", """{"endpoint": "other", "updated_at": 1}"""),
            ("monitoring/purge: negative buckets_before", "POST", Monitor + "/purge", """{"buckets_before": -1, "unmatched_labels_before": 1}"""),
            ("monitoring/purge: no unmatched_labels_before", "POST", Monitor + "/purge", """{"buckets_before": 4102444800000}"""),
            ("feedback: no labels field", "POST", Serving + "/{EP}/feedback", "{}"),
            ("feedback: empty labels", "POST", Serving + "/{EP}/feedback", """{"labels": []}"""),
            ("feedback: labels an object", "POST", Serving + "/{EP}/feedback", """{"labels": {"request_id": "r1", "label": 1}}"""),
            ("feedback: a null label item", "POST", Serving + "/{EP}/feedback", """{"labels": [null]}"""),
            ("feedback: empty request id", "POST", Serving + "/{EP}/feedback", """{"labels": [{"request_id": "r1", "label": 1}, {"request_id": "", "label": 1}]}"""),
            ("feedback: request id of 201 characters", "POST", Serving + "/{EP}/feedback", "{\"labels\": [{\"request_id\": \"" + new string('r', 201) + "\", \"label\": 1}]}"),
            ("feedback: label an object", "POST", Serving + "/{EP}/feedback", """{"labels": [{"request_id": "r1", "label": {"y": 1}}]}"""),
            ("feedback: label null", "POST", Serving + "/{EP}/feedback", """{"labels": [{"request_id": "r1", "label": null}]}"""),
            ("feedback: label array with a null", "POST", Serving + "/{EP}/feedback", """{"labels": [{"request_id": "r1", "label": [1, null]}]}"""),
            ("feedback: unknown endpoint", "POST", Serving + "/no-such-endpoint/feedback", """{"labels": [{"request_id": "r1", "label": 1}]}"""),
            ("monitoring settings: unknown method", "PUT", Serving + "/{EP}/monitoring/settings", """{"drift": {"method": "t_test"}}"""),
            ("monitoring settings: drift_share 2", "PUT", Serving + "/{EP}/monitoring/settings", """{"drift": {"drift_share": 2}}"""),
            ("monitoring settings: negative threshold", "PUT", Serving + "/{EP}/monitoring/settings", """{"drift": {"threshold": -0.1}}"""),
            ("monitoring settings: per_type key", "PUT", Serving + "/{EP}/monitoring/settings", """{"drift": {"per_type": {"text": "psi"}}}"""),
            ("monitoring settings: unknown drift field", "PUT", Serving + "/{EP}/monitoring/settings", """{"drift": {"methods": "psi"}}"""),
            ("monitoring settings: drift a string", "PUT", Serving + "/{EP}/monitoring/settings", """{"drift": "psi"}"""),
            ("monitoring settings: unknown reference", "PUT", Serving + "/{EP}/monitoring/settings", """{"reference": "datasets:/no-such-dataset/1"}"""),
            ("monitoring settings: reference a model", "PUT", Serving + "/{EP}/monitoring/settings", """{"reference": "models:/m/1"}"""),
            ("pipeline-store/apply: name starting with a dot", "PUT", Pipes + "/pipelines/.bad", """{"source": "s", "hash": "h"}"""),
            ("pipeline-store/apply: expected_version -1", "PUT", Pipe, """{"source": "s", "hash": "h", "expected_version": -1}"""),
            ("pipeline-store/apply: hash 201 characters", "PUT", Pipe, "{\"source\": \"s\", \"hash\": \"" + new string('h', 201) + "\"}"),
            ("pipeline-store/apply: stale expected_version", "PUT", Pipe, """{"source": "s", "hash": "h9", "expected_version": 7}"""),
            ("pipeline-store/runs: repeated step", "POST", Pipes + "/runs", NewRun.Replace("[\"train\"]", "[\"train\", \"train\"]", StringComparison.Ordinal)),
            ("pipeline-store/runs: no steps", "POST", Pipes + "/runs", NewRun.Replace("[\"train\"]", "[]", StringComparison.Ordinal)),
            ("pipeline-store/runs: unknown trigger kind", "POST", Pipes + "/runs", NewRun.Replace("manual", "webhook", StringComparison.Ordinal)),
            ("pipeline-store/runs: trigger detail not a JSON object", "POST", Pipes + "/runs", NewRun.Replace("\"actor\": \"a\"", "\"detail\": \"[1]\"", StringComparison.Ordinal)),
            ("pipeline-store/runs: pipeline_version 0", "POST", Pipes + "/runs", NewRun.Replace("\"pipeline_version\": 1", "\"pipeline_version\": 0", StringComparison.Ordinal)),
            ("pipeline-store/runs: unknown pipeline version", "POST", Pipes + "/runs", NewRun.Replace("\"pipeline_version\": 1", "\"pipeline_version\": 9", StringComparison.Ordinal)),
            ("pipeline-store/runs: unknown pipeline", "POST", Pipes + "/runs", NewRun.Replace("bad-input-pipe", "no-such-pipe", StringComparison.Ordinal)),
            ("pipeline-store/runs: parameter value null", "POST", Pipes + "/runs", NewRun.Replace("\"0.1\"", "null", StringComparison.Ordinal)),
            ("pipeline-store/runs: dedupe_key 201 characters", "POST", Pipes + "/runs", NewRun.Replace("\"d2\"", "\"" + new string('d', 201) + "\"", StringComparison.Ordinal)),
            ("pipeline-store/runs: fence epoch -1", "POST", Pipes + "/runs", NewRun[..^1] + ", \"fence\": {\"name\": \"l\", \"holder\": \"h\", \"epoch\": -1}}"),
            ("pipeline-store/runs: stale fence", "POST", Pipes + "/runs", NewRun[..^1] + ", \"fence\": {\"name\": \"no-such-lease\", \"holder\": \"h\", \"epoch\": 1}}"),
            ("pipeline-store/start: limit 0", "POST", PipeRun + "/start", """{"limit": 0}"""),
            ("pipeline-store/start: run id not a number", "POST", Pipes + "/runs/abc/start", """{"limit": 1}"""),
            ("pipeline-store/start: unknown run", "POST", Pipes + "/runs/999999/start", """{"limit": 1}"""),
            ("pipeline-store/finish: state running", "POST", PipeRun + "/finish", """{"state": "running"}"""),
            ("pipeline-store/finish: unknown state", "POST", PipeRun + "/finish", """{"state": "exploded"}"""),
            ("pipeline-store/finish: queued run cannot succeed", "POST", PipeRun + "/finish", """{"state": "succeeded"}"""),
            ("pipeline-store/steps: unknown from state", "POST", PipeRun + "/steps/train", """{"from": "waiting", "expected_attempt": 0, "to": "running"}"""),
            ("pipeline-store/steps: expected_attempt -1", "POST", PipeRun + "/steps/train", """{"from": "queued", "expected_attempt": -1, "to": "running"}"""),
            ("pipeline-store/steps: stale attempt", "POST", PipeRun + "/steps/train", """{"from": "queued", "expected_attempt": 3, "to": "running"}"""),
            ("pipeline-store/steps: move the table forbids", "POST", PipeRun + "/steps/train", """{"from": "queued", "expected_attempt": 0, "to": "succeeded"}"""),
            ("pipeline-store/steps: unknown step", "POST", PipeRun + "/steps/deploy", """{"from": "queued", "expected_attempt": 0, "to": "running"}"""),
            ("pipeline-store/steps: outputs value an object", "POST", PipeRun + "/steps/train", """{"from": "queued", "expected_attempt": 0, "to": "running", "outputs": {"m": {"x": 1}}}"""),
            ("pipeline-store/log: a null line", "POST", PipeRun + "/steps/train/log", """{"attempt": 1, "lines": ["x", null]}"""),
            ("pipeline-store/log: 10001 lines", "POST", PipeRun + "/steps/train/log", "{\"attempt\": 1, \"lines\": [" + string.Join(", ", Enumerable.Repeat("\"x\"", 10_001)) + "]}"),
            ("pipeline-store/log: unknown step", "POST", PipeRun + "/steps/deploy/log", """{"attempt": 1, "lines": ["x"]}"""),
            ("pipeline-store/cache: run_id 0", "POST", Pipes + "/cache", """{"key": "k3", "pipeline": "bad-input-pipe", "step": "train", "run_id": 0, "created_at": 1}"""),
            ("pipeline-store/cache: key with a control character", "POST", Pipes + "/cache", """{"key": "k\u0001", "pipeline": "bad-input-pipe", "step": "train", "run_id": 1, "created_at": 1}"""),
            ("pipeline-store/triggers: pending_detail not JSON", "PUT", Pipe + "/triggers/nightly", """{"state": {"pending_detail": "{nope", "fired": 1, "updated_at": 1}}"""),
            ("pipeline-store/triggers: pipeline differs from the path", "PUT", Pipe + "/triggers/nightly", """{"state": {"pipeline": "other", "fired": 1, "updated_at": 1}}"""),
            ("pipeline-store/triggers: negative fired", "PUT", Pipe + "/triggers/nightly", """{"state": {"fired": -1, "updated_at": 1}}"""),
            ("pipeline-store/triggers: stale fence", "PUT", Pipe + "/triggers/nightly", """{"state": {"fired": 1, "updated_at": 1}, "fence": {"name": "no-such-lease", "holder": "h", "epoch": 1}}"""),
            ("pipelines/apply: a cycle", "POST", Flows, Def("name: bad-input-cycle\\nsteps: [{name: a, type: noop, after: [b]}, {name: b, type: noop, after: [a]}]")),
            ("pipelines/apply: unknown step type", "POST", Flows, Def("name: bad-input-unknown\\nsteps: [{name: s1, type: teleport}]")),
            ("pipelines/apply: type mismatch between steps", "POST", Flows, Def("name: bad-input-mismatch\\nsteps: [{name: a, type: noop}, {name: r, type: register, params: {name: m}, inputs: {model: \\\"${steps.a.value}\\\"}}]")),
            ("pipelines/apply: unknown step key", "POST", Flows, Def("name: bad-input-key\\nsteps: [{name: a, type: noop, colour: red}]")),
            ("pipelines/apply: unknown top-level key", "POST", Flows, Def("name: bad-input-key\\nschedule: daily\\nsteps: [{name: a, type: noop}]")),
            ("pipelines/apply: unknown step parameter", "POST", Flows, Def("name: bad-input-param\\nsteps: [{name: a, type: noop, params: {colour: red}}]")),
            ("pipelines/apply: undeclared pipeline parameter", "POST", Flows, Def("name: bad-input-param\\nsteps: [{name: a, type: noop, params: {value: \\\"${params.nope}\\\"}}]")),
            ("pipelines/apply: upstream step that does not exist", "POST", Flows, Def("name: bad-input-after\\nsteps: [{name: a, type: noop, after: [ghost]}]")),
            ("pipelines/apply: the same step twice", "POST", Flows, Def("name: bad-input-twice\\nsteps: [{name: a, type: noop}, {name: a, type: noop}]")),
            ("pipelines/apply: retries 11", "POST", Flows, Def("name: bad-input-retries\\nsteps: [{name: a, type: noop, retries: 11}]")),
            ("pipelines/apply: concurrency 0", "POST", Flows, Def("name: bad-input-conc\\nconcurrency: 0\\nsteps: [{name: a, type: noop}]")),
            ("pipelines/apply: name with a space", "POST", Flows, Def("name: bad input\\nsteps: [{name: a, type: noop}]")),
            ("pipelines/apply: no steps", "POST", Flows, Def("name: bad-input-empty\\nsteps: []")),
            ("pipelines/apply: not YAML", "POST", Flows, Def("name: [unclosed")),
            ("pipelines/apply: a list", "POST", Flows, Def("[1, 2]")),
            ("pipelines/apply: definition blank", "POST", Flows, Def("   ")),
            ("pipelines/apply: over 1,000,000 characters", "POST", Flows, Def("name: bad-input-big\\ndescription: " + new string('x', 1_000_001) + "\\nsteps: [{name: a, type: noop}]")),
            ("pipelines/apply: expected_version -1", "POST", Flows, Def("name: bad-input-new\\nsteps: [{name: a, type: noop}]", ", \"expected_version\": -1")),
            ("pipelines/apply: expected_version 1e400", "POST", Flows, Def("name: bad-input-new\\nsteps: [{name: a, type: noop}]", ", \"expected_version\": 1e400")),
            ("pipelines/apply: stale expected_version", "POST", Flows, Def(FlowDefinition.Replace("v: \\\"1\\\"", "v: \\\"9\\\"", StringComparison.Ordinal), ", \"expected_version\": 7")),
            ("pipelines/apply: expected new but it exists", "POST", Flows, Def(FlowDefinition.Replace("v: \\\"1\\\"", "v: \\\"9\\\"", StringComparison.Ordinal), ", \"expected_version\": 0")),
            ("pipelines/runs: unknown parameter", "POST", Flow + "/runs", """{"params": {"nope": "1"}}"""),
            ("pipelines/runs: parameter value 4097 characters", "POST", Flow + "/runs", "{\"params\": {\"v\": \"" + new string('v', 4097) + "\"}}"),
            ("pipelines/runs: parameter value null", "POST", Flow + "/runs", """{"params": {"v": null}}"""),
            ("pipelines/runs: parameter value a number", "POST", Flow + "/runs", """{"params": {"v": 2}}"""),
            ("pipelines/runs: idempotency_key empty", "POST", Flow + "/runs", """{"idempotency_key": ""}"""),
            ("pipelines/runs: idempotency_key 257 characters", "POST", Flow + "/runs", "{\"idempotency_key\": \"" + new string('k', 257) + "\"}"),
            ("pipelines/runs: unknown pipeline", "POST", Flows + "/no-such-pipeline/runs", "{}"),
            ("pipelines/runs: name with a space", "POST", Flows + "/a%20b/runs", "{}"),
            ("pipelines/runs: name of 1000 characters", "POST", Flows + "/" + new string('n', 1000) + "/runs", "{}"),
            ("pipelines/plan: unknown parameter", "POST", Flow + "/plan", """{"params": {"nope": "1"}}"""),
            ("pipelines/plan: unknown pipeline", "POST", Flows + "/no-such-pipeline/plan", "{}"),
            ("pipelines/cancel: run id 0", "POST", Flows + "/runs/0/cancel", "{}"),
            ("pipelines/cancel: run id -1", "POST", Flows + "/runs/-1/cancel", "{}"),
            ("pipelines/cancel: run id abc", "POST", Flows + "/runs/abc/cancel", "{}"),
            ("pipelines/cancel: run id 2^64", "POST", Flows + "/runs/18446744073709551616/cancel", "{}"),
            ("pipelines/cancel: run id 1.5", "POST", Flows + "/runs/1.5/cancel", "{}"),
            ("pipelines/cancel: unknown run", "POST", Flows + "/runs/999999/cancel", "{}"),
            ("pipelines/cancel: a finished run", "POST", Flows + "/runs/" + BadInputFixture.FinishedRun + "/cancel", "{}"),
            ("pipelines/cancel: reason 1001 characters", "POST", Flows + "/runs/1/cancel", "{\"reason\": \"" + new string('r', 1001) + "\"}"),
            ("traffic: weight 1e400", "PUT", Serving + "/{EP}/traffic", """{"mode": "canary", "model_uri": "models:/{M}/1", "weight": 1e400}"""),
            ("traffic: weight 150", "PUT", Serving + "/{EP}/traffic", """{"mode": "canary", "model_uri": "models:/{M}/1", "weight": 150}"""),
            ("traffic: unknown mode", "PUT", Serving + "/{EP}/traffic", """{"mode": "chaos", "model_uri": "models:/{M}/1", "weight": 10}"""),
        ];
        foreach (var (name, method, path, body) in values)
        {
            add(name, method, path, Json, body);
        }

        string[] invocations =
        [
            """{"dataframe_split": {"columns": 5, "data": []}}""",
            """{"dataframe_split": {"columns": ["a", "b", "c"], "data": {}}}""",
            """{"dataframe_records": {"a": 1}}""",
            """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[{"x": 1}, 2.0, 3.0]]}}""",
            """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[true, 2.0, 3.0]]}}""",
            """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[null, 2.0, 3.0]]}}""",
            """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1.0, 2.0, 3.0], [null, 2.0, 3.0]]}}""",
            """{"dataframe_records": [{"a": 1.0, "b": 2.0, "c": 3.0}, {"a": 1.0, "b": 2.0}]}""",
            """{"dataframe_records": [{"a": {"x": 1}, "b": 2.0, "c": 3.0}]}""",
            """{"dataframe_records": [{"a": false, "b": true, "c": true}]}""",
            """{"dataframe_records": [{"a": "one", "b": 2.0, "c": 3.0}]}""",
            """{"dataframe_records": [{"a": 1e400, "b": 2.0, "c": 3.0}]}""",
            """{"dataframe_records": [{"a": "1e400", "b": 2.0, "c": 3.0}]}""",
            """{"dataframe_records": [1, 2]}""",
            """{"dataframe_split": {"columns": ["a", "b"], "data": [[1.0, 2.0]]}}""",
            """{"dataframe_split": {"columns": ["a", "a", "b"], "data": [[1.0, 2.0, 3.0]]}}""",
            """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1.0, 2.0]]}}""",
            """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[[1.0, 2.0], 2.0, 3.0]]}}""",
            """{"dataframe_split": {"columns": [{"n": "a"}, "b", "c"], "data": [[1.0, 2.0, 3.0]]}}""",
            """{"dataframe_split": "a,b,c"}""",
            """{"inputs": {"a": [1.0], "b": [2.0], "c": [{"x": 3}]}}""",
            """{"instances": [[1.0, 2.0, 3.0]], "inputs": [[1.0, 2.0, 3.0]]}""",
            """{"instances": "1,2,3"}""",
            """{"something_else": []}""",
            """[{"a": 1.0, "b": 2.0, "c": 3.0}]""",
        ];
        for (var i = 0; i < invocations.Length; i++)
        {
            add($"invocations: {Describe(i, invocations[i])}", "POST", "/endpoints/{EP}/invocations", Json, invocations[i]);
        }

        string[] v2 =
        [
            """{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [null]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [2.0]}, {"name": "c", "shape": [1], "datatype": "FP64", "data": [3.0]}]}""",
            """{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [1e400]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [2.0]}, {"name": "c", "shape": [1], "datatype": "FP64", "data": [3.0]}]}""",
            """{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [{"x": 1}]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [2.0]}, {"name": "c", "shape": [1], "datatype": "FP64", "data": [3.0]}]}""",
            """{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [true]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [2.0]}, {"name": "c", "shape": [1], "datatype": "FP64", "data": [3.0]}]}""",
            """{"inputs": [{"name": "a", "shape": [4294967296, 4294967296], "datatype": "FP64", "data": [1.0]}]}""",
            """{"inputs": [{"name": "a", "shape": [-1], "datatype": "FP64", "data": [1.0]}]}""",
            """{"inputs": [{"name": "a", "shape": [1.5], "datatype": "FP64", "data": [1.0]}]}""",
            """{"inputs": [{"name": "a", "shape": [1], "datatype": "COMPLEX", "data": [1.0]}]}""",
            """{"inputs": [{"name": "a", "shape": [1], "datatype": "INT64", "data": [1.5]}]}""",
            """{"inputs": [{"name": "a", "shape": [2], "datatype": "FP64", "data": [1.0]}]}""",
            """{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64"}]}""",
            """{"inputs": [{"shape": [1], "datatype": "FP64", "data": [1.0]}]}""",
            """{"inputs": [{"name": 5, "shape": [1], "datatype": "FP64", "data": [1.0]}]}""",
            """{"inputs": [5]}""",
            """{"inputs": {"a": [1.0]}}""",
            """{"inputs": []}""",
            """{"id": 5, "inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [1.0]}]}""",
            """{"inputs": [{"name": "a", "shape": [1], "datatype": "FP64", "data": [1.0]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [2.0]}]}""",
            """{"inputs": [{"name": "a", "shape": [1], "datatype": "BYTES", "data": ["x"]}, {"name": "b", "shape": [1], "datatype": "FP64", "data": [2.0]}, {"name": "c", "shape": [1], "datatype": "FP64", "data": [3.0]}]}""",
        ];
        for (var i = 0; i < v2.Length; i++)
        {
            add($"v2 infer: {Describe(i, v2[i])}", "POST", "/v2/models/{EP}/infer", Json, v2[i]);
        }
    }

    private static void AddGetCases(Action<string, string, string, string?, string?> add)
    {
        var longFilter = Uri.EscapeDataString(string.Join(" AND ", Enumerable.Range(0, 1000).Select(i => $"tags.t{i} = 'x'")));
        var orderBy = string.Join("&", Enumerable.Range(0, 64).Select(i => "order_by=name"));
        (string Name, string Path)[] gets =
        [
            ("users/get: no username", Mlflow + "users/get"),
            ("users/get: unknown user", Mlflow + "users/get?username=no-such-user"),
            ("experiments/permissions/get: experiment_id not a number", Mlflow + "experiments/permissions/get?experiment_id=abc&username=bad-input-user"),
            ("experiments/permissions/get: no row", Mlflow + "experiments/permissions/get?experiment_id={E}&username=bad-input-other"),
            ("registered-models/permissions/get: no name", Mlflow + "registered-models/permissions/get?username=bad-input-user"),
            ("keel/tokens: all=maybe", Keel + "/tokens?all=maybe"),
            ("keel/groups: username with a space", Keel + "/groups?username=a%20b"),
            ("approvals: unknown state", Approvals + "?state=pending"),
            ("approvals: bad environment", Approvals + "?environment=Prod"),
            ("approvals: id not a number", Approvals + "/abc"),
            ("approvals: unknown id", Approvals + "/999999"),
            ("experiments/search: filter of 1000 clauses (long query)", Mlflow + "experiments/search?filter=" + longFilter),
            ("experiments/search: 64 order_by", Mlflow + "experiments/search?" + orderBy),
            ("experiments/search: max_results abc", Mlflow + "experiments/search?max_results=abc"),
            ("experiments/search: max_results 1e400", Mlflow + "experiments/search?max_results=1e400"),
            ("experiments/search: view_type bogus", Mlflow + "experiments/search?view_type=SOME"),
            ("registered-models/search: filter of 1000 clauses (long query)", Mlflow + "registered-models/search?filter=" + longFilter),
            ("registered-models/search: 64 order_by", Mlflow + "registered-models/search?" + orderBy),
            ("model-versions/search: filter of 1000 clauses (long query)", Mlflow + "model-versions/search?filter=" + longFilter),
            ("model-versions/search: 64 order_by", Mlflow + "model-versions/search?" + orderBy),
            ("model-versions/search: garbage page token", Mlflow + "model-versions/search?page_token=%25%25garbage"),
            ("experiments/get: malformed id", Mlflow + "experiments/get?experiment_id=../x"),
            ("experiments/get: 100 KB id", Mlflow + "experiments/get?experiment_id=" + new string('9', 100_000)),
            ("runs/get: malformed id", Mlflow + "runs/get?run_id=zz%00zz"),
            ("metrics/get-history: missing key", Mlflow + "metrics/get-history?run_id={R}"),
            ("keel history-downsampled: missing key", "/api/2.0/keel/metrics/history-downsampled?run_id={R}"),
            ("keel history-downsampled: max_points 1", "/api/2.0/keel/metrics/history-downsampled?run_id={R}&metric_key=m&max_points=1"),
            ("keel history-downsampled: max_points 10001", "/api/2.0/keel/metrics/history-downsampled?run_id={R}&metric_key=m&max_points=10001"),
            ("keel history-downsampled: max_points abc", "/api/2.0/keel/metrics/history-downsampled?run_id={R}&metric_key=m&max_points=abc"),
            ("keel history-downsampled: x sideways", "/api/2.0/keel/metrics/history-downsampled?run_id={R}&metric_key=m&x=sideways"),
            ("keel history-downsampled: unknown run", "/api/2.0/keel/metrics/history-downsampled?run_id=0123456789abcdef0123456789abcdef&metric_key=m"),
            ("registered-models/get: missing name", Mlflow + "registered-models/get"),
            ("model-versions/get: version not a number", Mlflow + "model-versions/get?name={M}&version=abc"),
            ("registered-models/alias: unknown alias", Mlflow + "registered-models/alias?name={M}&alias=nope"),
            ("v2 metadata: unknown endpoint", "/v2/models/no-such-endpoint"),
            ("jobs: unknown state", Jobs + "?state=exploded"),
            ("jobs: max_results abc", Jobs + "?max_results=abc"),
            ("jobs: max_results 1e400", Jobs + "?max_results=1e400"),
            ("jobs: after_id -1", Jobs + "?after_id=-1"),
            ("jobs/get: id not a number", Jobs + "/abc"),
            ("jobs/get: id 0", Jobs + "/0"),
            ("jobs/get: unknown id", Jobs + "/999999"),
            ("serving-store/changes: after -1", Store + "/changes?after=-1"),
            ("serving-store/changes: max_results 0", Store + "/changes?max_results=0"),
            ("serving-store/changes: after abc", Store + "/changes?after=abc"),
            ("serving-store/changes/wait: timeout_seconds abc", Store + "/changes/wait?timeout_seconds=abc"),
            ("serving-store/changes/wait: timeout_seconds -1", Store + "/changes/wait?timeout_seconds=-1"),
            ("serving-store/stats: no rollout_id", Store + "/stats?endpoint={EP}"),
            ("serving-store/endpoints/get: name with spaces", Store + "/endpoints/a%20b"),
            ("datasets: max_results 0", Datasets + "?max_results=0"),
            ("datasets: max_results abc", Datasets + "?max_results=abc"),
            ("datasets: bad page token", Datasets + "?page_token=%25%25"),
            ("datasets/get: name with spaces", Datasets + "/a%20b"),
            ("datasets/versions/get: version abc", Datasets + "/bad-input-ds/versions/abc"),
            ("datasets/versions/get: version 0", Datasets + "/bad-input-ds/versions/0"),
            ("datasets/versions: bad page token", Datasets + "/bad-input-ds/versions?page_token=x"),
            ("datasets/resolve: no uri", Datasets + "/resolve"),
            ("datasets/resolve: not a dataset uri", Datasets + "/resolve?uri=models:/m/1"),
            ("alerts: unknown state", Alerts + "?state=burning"),
            ("pipeline-store/pipelines/get: version 0", Pipe + "?version=0"),
            ("pipeline-store/pipelines/get: name with spaces", Pipes + "/pipelines/a%20b"),
            ("pipeline-store/runs: unknown state", Pipes + "/runs?states=exploded"),
            ("pipeline-store/runs: max_results 0", Pipes + "/runs?max_results=0"),
            ("pipeline-store/runs: before_id abc", Pipes + "/runs?before_id=abc"),
            ("pipeline-store/runs/get: id 0", Pipes + "/runs/0"),
            ("pipeline-store/runs/get: id abc", Pipes + "/runs/abc"),
            ("pipeline-store/log: after_seq -1", PipeRun + "/log?after_seq=-1"),
            ("pipeline-store/log: step with spaces", PipeRun + "/log?step=a%20b"),
            ("pipeline-store/cache: no key", Pipes + "/cache"),
            ("pipeline-store/events: max_results 10001", Pipes + "/events?max_results=10001"),
            ("pipeline-store/events: run_id 0", Pipes + "/events?run_id=0"),
            ("pipelines/get: unknown pipeline", Flows + "/no-such-pipeline"),
            ("pipelines/get: version 0", Flow + "?version=0"),
            ("pipelines/get: version -1", Flow + "?version=-1"),
            ("pipelines/get: version abc", Flow + "?version=abc"),
            ("pipelines/get: unknown version", Flow + "?version=99"),
            ("pipelines/get: name with a space", Flows + "/a%20b"),
            ("pipelines/runs: state bogus", Flows + "/runs?state=bogus"),
            ("pipelines/runs: max_results 0", Flows + "/runs?max_results=0"),
            ("pipelines/runs: max_results 1001", Flows + "/runs?max_results=1001"),
            ("pipelines/runs: max_results abc", Flows + "/runs?max_results=abc"),
            ("pipelines/runs: max_results 2^40", Flows + "/runs?max_results=1099511627776"),
            ("pipelines/runs: before abc", Flows + "/runs?before=abc"),
            ("pipelines/runs: pipeline with a space", Flows + "/runs?pipeline=a%20b"),
            ("pipelines/runs/get: id 0", Flows + "/runs/0"),
            ("pipelines/runs/get: id -1", Flows + "/runs/-1"),
            ("pipelines/runs/get: id abc", Flows + "/runs/abc"),
            ("pipelines/runs/get: id 2^64", Flows + "/runs/18446744073709551616"),
            ("pipelines/runs/get: unknown id", Flows + "/runs/999999"),
            ("pipelines/logs: after -1", Flows + "/runs/" + BadInputFixture.FinishedRun + "/logs?after=-1"),
            ("pipelines/logs: after abc", Flows + "/runs/" + BadInputFixture.FinishedRun + "/logs?after=abc"),
            ("pipelines/logs: max_results 0", Flows + "/runs/" + BadInputFixture.FinishedRun + "/logs?max_results=0"),
            ("pipelines/logs: max_results 10001", Flows + "/runs/" + BadInputFixture.FinishedRun + "/logs?max_results=10001"),
            ("pipelines/logs: step with a space", Flows + "/runs/" + BadInputFixture.FinishedRun + "/logs?step=a%20b"),
            ("pipelines/logs: step not in the run", Flows + "/runs/" + BadInputFixture.FinishedRun + "/logs?step=ghost"),
            ("pipelines/logs: run id abc", Flows + "/runs/abc/logs"),
            ("pipelines/logs: unknown run", Flows + "/runs/999999/logs"),
            ("pipelines/events: after -1", Flows + "/events?after=-1"),
            ("pipelines/events: after abc", Flows + "/events?after=abc"),
            ("pipelines/events: max_results 0", Flows + "/events?max_results=0"),
            ("pipelines/events: max_results 1001", Flows + "/events?max_results=1001"),
            ("pipelines/events: run_id 0", Flows + "/events?run_id=0"),
            ("pipelines/events: run_id -1", Flows + "/events?run_id=-1"),
            ("pipelines/events: run_id abc", Flows + "/events?run_id=abc"),
            ("alerts: max_results 0", Alerts + "?max_results=0"),
            ("alerts: endpoint with spaces", Alerts + "?endpoint=a%20b"),
            ("alerts/events: after -1", Alerts + "/events?after=-1"),
            ("alerts/events: after abc", Alerts + "/events?after=abc"),
            ("alerts/events: alert_id 0", Alerts + "/events?alert_id=0"),
            ("alerts/get: id abc", Alerts + "/abc"),
            ("alerts/get: unknown id", Alerts + "/999999"),
            ("alerts/deliveries: unknown id", Alerts + "/999999/deliveries"),
            ("alerts/rules: endpoint with spaces", Alerts + "/rules?endpoint=a%20b"),
            ("alerts/rules/get: unknown", Alerts + "/rules/no-such-rule"),
            ("alerts/rules/get: name with spaces", Alerts + "/rules/a%20b"),
            ("datasets/resolve: climbs out", Datasets + "/resolve?uri=datasets:/d/1/../x"),
            ("datasets/by-digest: short", Datasets + "/by-digest/abc"),
            ("monitoring/buckets: no from", Watched + "/buckets?to=1"),
            ("monitoring/buckets: from abc", Watched + "/buckets?from=abc&to=1"),
            ("monitoring/buckets: to before from", Watched + "/buckets?from=10&to=5"),
            ("monitoring/buckets: to past year 9999", Watched + "/buckets?from=0&to=253402300800000"),
            ("monitoring/buckets: name with spaces", Monitor + "/endpoints/a%20b/buckets?from=0&to=1"),
            ("monitoring/labeled: start abc", Watched + "/buckets/abc/labeled"),
            ("monitoring/settings: name with a slash", Monitor + "/endpoints/a%2Fb/settings"),
            ("endpoint monitoring: window 5x", Serving + "/{EP}/monitoring?window=5x"),
            ("endpoint monitoring: window 0m", Serving + "/{EP}/monitoring?window=0m"),
            ("endpoint monitoring: window and count", Serving + "/{EP}/monitoring?window=1h&count=10"),
            ("endpoint monitoring: count 0", Serving + "/{EP}/monitoring?count=0"),
            ("endpoint monitoring: count abc", Serving + "/{EP}/monitoring?count=abc"),
            ("endpoint monitoring: from after to", Serving + "/{EP}/monitoring?from=2000&to=1000"),
            ("endpoint monitoring: from not a time", Serving + "/{EP}/monitoring?from=yesterday"),
            ("endpoint monitoring: 100000 windows", Serving + "/{EP}/monitoring?window=1m&from=0&to=4102444800000"),
            ("endpoint monitoring: unknown endpoint", Serving + "/no-such-endpoint/monitoring"),
            ("features/versions: no name", Feats + "/versions"),
            ("features/versions: never applied", Feats + "/versions?name=no-such-view"),
            ("features/versions: unknown kind", Feats + "/versions?name=x&kind=table"),
            ("audit/events: max_results 0", Audit + "/events?max_results=0"),
            ("audit/events: max_results 10001", Audit + "/events?max_results=10001"),
            ("audit/events: max_results abc", Audit + "/events?max_results=abc"),
            ("audit/events: after_sequence -1", Audit + "/events?after_sequence=-1"),
            ("audit/events: order sideways", Audit + "/events?order=sideways"),
            ("audit/events: since yesterday", Audit + "/events?since=yesterday"),
            ("audit/events: until abc", Audit + "/events?until=abc"),
            ("audit/events: approval_id abc", Audit + "/events?approval_id=abc"),
            ("audit/at: no time", Audit + "/at?endpoint={EP}"),
            ("audit/at: time yesterday", Audit + "/at?time=yesterday&endpoint={EP}"),
            ("audit/at: no endpoint", Audit + "/at?time=1700000000000"),
            ("audit/at: unknown endpoint", Audit + "/at?time=1700000000000&endpoint=no-such-endpoint"),
        ];
        foreach (var (name, path) in gets)
        {
            add("GET " + name, "GET", path, null, null);
        }
    }
}
