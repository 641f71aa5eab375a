using System.Collections.Frozen;
using Keel.Core.Governance;
using static Keel.Core.Governance.PermissionLevel;
using static Keel.Server.Governance.ResourceSource;

namespace Keel.Server.Governance;

/// <summary>
/// The route table's authorization column: every route of the server (METHOD and route pattern,
/// <c>/ajax-api</c> spelled as <c>/api</c>) with who may call it. MLflow's routes follow MLflow's
/// basic-auth app (<c>mlflow/server/auth/__init__.py</c>): READ to read, EDIT to change, MANAGE to
/// delete or grant, creation open to any signed-in user. Keel's own routes are governed by the role
/// the caller holds in the environment the endpoint, pipeline or dataset belongs to. The stores'
/// internal routes (used by replicas and workers) are for admins, as are user management and audit.
/// </summary>
internal static class RoutePolicies
{
    // The stores' internal routes (serving replicas, workers); declared before the table that reads them.
    private static readonly (string Methods, string Path)[] InternalRoutes =
    [
        ("GET,POST", "/api/2.0/keel/jobs"),
        ("POST", "/api/2.0/keel/jobs/lease"),
        ("GET", "/api/2.0/keel/jobs/{id}"),
        ("POST", "/api/2.0/keel/jobs/{id}/cancel"),
        ("POST", "/api/2.0/keel/jobs/{id}/complete"),
        ("POST", "/api/2.0/keel/jobs/{id}/fail"),
        ("POST", "/api/2.0/keel/jobs/{id}/heartbeat"),
        ("POST", "/api/2.0/keel/jobs/{id}/release"),
        ("GET", "/api/2.0/keel/serving-store/changes"),
        ("GET", "/api/2.0/keel/serving-store/changes/wait"),
        ("GET,POST", "/api/2.0/keel/serving-store/endpoints"),
        ("GET,PUT,DELETE", "/api/2.0/keel/serving-store/endpoints/{name}"),
        ("GET", "/api/2.0/keel/serving-store/events"),
        ("POST", "/api/2.0/keel/serving-store/leases/acquire"),
        ("POST", "/api/2.0/keel/serving-store/leases/release"),
        ("GET,POST", "/api/2.0/keel/serving-store/stats"),
        ("DELETE", "/api/2.0/keel/monitoring/store/endpoints/{name}"),
        ("GET,POST", "/api/2.0/keel/monitoring/store/endpoints/{name}/buckets"),
        ("GET", "/api/2.0/keel/monitoring/store/endpoints/{name}/buckets/{start}/labeled"),
        ("PUT", "/api/2.0/keel/monitoring/store/endpoints/{name}/buckets/{start}/quality"),
        ("POST", "/api/2.0/keel/monitoring/store/endpoints/{name}/labels"),
        ("GET", "/api/2.0/keel/monitoring/store/endpoints/{name}/labels/summary"),
        ("GET", "/api/2.0/keel/monitoring/store/endpoints/{name}/latest-bucket-end"),
        ("GET,PUT", "/api/2.0/keel/monitoring/store/endpoints/{name}/settings"),
        ("GET", "/api/2.0/keel/monitoring/store/endpoints/{name}/stale-quality"),
        ("POST", "/api/2.0/keel/monitoring/store/purge"),
        ("GET,POST", "/api/2.0/keel/pipelines/store/cache"),
        ("GET", "/api/2.0/keel/pipelines/store/events"),
        ("GET", "/api/2.0/keel/pipelines/store/pipelines"),
        ("GET,PUT", "/api/2.0/keel/pipelines/store/pipelines/{name}"),
        ("GET", "/api/2.0/keel/pipelines/store/pipelines/{name}/triggers"),
        ("PUT", "/api/2.0/keel/pipelines/store/pipelines/{name}/triggers/{trigger}"),
        ("GET,POST", "/api/2.0/keel/pipelines/store/runs"),
        ("GET", "/api/2.0/keel/pipelines/store/runs/{id}"),
        ("POST", "/api/2.0/keel/pipelines/store/runs/{id}/finish"),
        ("GET", "/api/2.0/keel/pipelines/store/runs/{id}/log"),
        ("POST", "/api/2.0/keel/pipelines/store/runs/{id}/start"),
        ("GET", "/api/2.0/keel/pipelines/store/runs/{id}/steps"),
        ("POST", "/api/2.0/keel/pipelines/store/runs/{id}/steps/{step}"),
        ("POST", "/api/2.0/keel/pipelines/store/runs/{id}/steps/{step}/log"),
    ];

    private static readonly RoutePolicy Viewer = RoleOf(EnvironmentRole.Viewer, "name");

    private static readonly FrozenDictionary<string, RoutePolicy> Table = Build();

    /// <summary>The policy of a route, or null when the table has none (then only admins pass).</summary>
    public static RoutePolicy? Find(string method, string pattern) => Table.GetValueOrDefault(Key(method, pattern));

    /// <summary>Every entry, for the authorization test.</summary>
    public static IReadOnlyDictionary<string, RoutePolicy> All => Table;

    /// <summary>The table's key of a route: <c>METHOD /api/...</c> with no trailing slash.</summary>
    public static string Key(string method, string pattern)
    {
        if (pattern.StartsWith("/ajax-api/", StringComparison.Ordinal))
        {
            pattern = "/api/" + pattern["/ajax-api/".Length..];
        }

        if (pattern.Length > 1 && pattern.EndsWith('/'))
        {
            pattern = pattern[..^1];
        }

        return method + " " + pattern;
    }

    private static PermissionPolicy Needs(PermissionLevel level, ResourceSource source, string? parameter = null) => new(level, source, parameter);

    private static RolePolicy RoleOf(EnvironmentRole role, string parameter, GovernedResource kind = GovernedResource.Endpoint, GovernedLookup lookup = GovernedLookup.Direct) =>
        new(role, new GovernedName(kind, parameter, lookup));

    private static FrozenDictionary<string, RoutePolicy> Build()
    {
        var t = new Dictionary<string, RoutePolicy>(StringComparer.Ordinal);
        void Add(string methods, string path, RoutePolicy policy)
        {
            foreach (var method in methods.Split(','))
            {
                t.Add(Key(method, path), policy);
            }
        }

        const string M = "/api/2.0/mlflow";
        const string K = "/api/2.0/keel";

        // Open to all: probes, the version, the UI's static files and the API description.
        Add("GET", "/health", RoutePolicy.Public);
        Add("GET", "/version", RoutePolicy.Public);
        Add("GET", K + "/version", RoutePolicy.Public);
        Add("GET", "/v2/health/live", RoutePolicy.Public);
        Add("GET", "/v2/health/ready", RoutePolicy.Public);
        Add("GET", "/ui/{**path}", RoutePolicy.Public);
        Add("GET", "/openapi/{documentName}.json", RoutePolicy.Public);
        // The page itself asks for sign-in, so the browser prompts once and then sends the credentials with every call.
        Add("GET", "/", RoutePolicy.Authenticated);
        Add("GET", "/index.html", RoutePolicy.Authenticated);
        Add("GET", "/metrics", RoutePolicy.Authenticated);

        // Experiments (MLflow: create and search open to all, search filtered to what the caller may read).
        Add("POST", M + "/experiments/create", RoutePolicy.Authenticated);
        Add("GET,POST", M + "/experiments/search", RoutePolicy.Authenticated);
        Add("GET", M + "/experiments/get", Needs(Read, ExperimentId));
        Add("GET", M + "/experiments/get-by-name", Needs(Read, ExperimentName));
        Add("POST", M + "/experiments/delete", Needs(Manage, ExperimentId));
        Add("POST", M + "/experiments/restore", Needs(Manage, ExperimentId));
        Add("POST", M + "/experiments/update", Needs(Edit, ExperimentId));
        Add("POST", M + "/experiments/set-experiment-tag", Needs(Edit, ExperimentId));
        Add("POST", M + "/experiments/search-datasets", Needs(Read, ExperimentId, "experiment_ids"));

        // Runs inherit their experiment's permission.
        Add("POST", M + "/runs/create", Needs(Edit, ExperimentId));
        Add("POST", M + "/runs/create-promptlab-run", Needs(Edit, ExperimentId));
        Add("GET", M + "/runs/get", Needs(Read, RunId));
        Add("POST", M + "/runs/search", Needs(Read, ExperimentId, "experiment_ids"));
        Add("POST", M + "/runs/delete", Needs(Manage, RunId));
        Add("POST", M + "/runs/restore", Needs(Manage, RunId));
        Add("POST", M + "/runs/update", Needs(Edit, RunId));
        Add("POST", M + "/runs/log-metric", Needs(Edit, RunId));
        Add("POST", M + "/runs/log-batch", Needs(Edit, RunId));
        Add("POST", M + "/runs/log-model", Needs(Edit, RunId));
        Add("POST", M + "/runs/log-parameter", Needs(Edit, RunId));
        Add("POST", M + "/runs/log-inputs", Needs(Edit, RunId));
        Add("POST", M + "/runs/set-tag", Needs(Edit, RunId));
        Add("POST", M + "/runs/delete-tag", Needs(Edit, RunId));
        Add("GET", M + "/metrics/get-history", Needs(Read, RunId));
        Add("GET", M + "/metrics/get-history-bulk", Needs(Read, RunId, "run_id"));
        Add("GET", M + "/metrics/get-history-bulk-interval", Needs(Read, RunId, "run_ids"));
        Add("GET", K + "/metrics/history-downsampled", Needs(Read, RunId));
        Add("GET", M + "/artifacts/list", Needs(Read, RunId));
        Add("GET", "/get-artifact", Needs(Read, RunId));

        // Proxied artifacts live under <experiment id>/...: the experiment's permission applies.
        Add("GET", "/api/2.0/mlflow-artifacts/artifacts", Needs(Read, ArtifactPath, "path"));
        Add("GET", "/api/2.0/mlflow-artifacts/artifacts/{**path}", Needs(Read, ArtifactPath));
        Add("PUT", "/api/2.0/mlflow-artifacts/artifacts/{**path}", Needs(Edit, ArtifactPath));
        Add("DELETE", "/api/2.0/mlflow-artifacts/artifacts/{**path}", Needs(Manage, ArtifactPath));
        Add("POST", "/api/2.0/mlflow-artifacts/mpu/create/{**path}", Needs(Edit, ArtifactPath));
        Add("POST", "/api/2.0/mlflow-artifacts/mpu/complete/{**path}", Needs(Edit, ArtifactPath));
        Add("POST", "/api/2.0/mlflow-artifacts/mpu/abort/{**path}", Needs(Edit, ArtifactPath));
        Add("POST", "/ajax-api/2.0/mlflow/upload-artifact", Needs(Edit, RunId));

        // Registered models; versions and aliases inherit the model's permission.
        Add("POST", M + "/registered-models/create", RoutePolicy.Authenticated);
        Add("GET", M + "/registered-models/search", RoutePolicy.Authenticated);
        Add("GET", M + "/registered-models/get", Needs(Read, ModelName));
        Add("POST", M + "/registered-models/rename", Needs(Edit, ModelName));
        Add("PATCH", M + "/registered-models/update", Needs(Edit, ModelName));
        Add("DELETE", M + "/registered-models/delete", Needs(Manage, ModelName));
        Add("POST", M + "/registered-models/set-tag", Needs(Edit, ModelName));
        Add("DELETE", M + "/registered-models/delete-tag", Needs(Edit, ModelName));
        Add("GET,POST", M + "/registered-models/get-latest-versions", Needs(Read, ModelName));
        Add("POST", M + "/registered-models/alias", Needs(Edit, ModelName));
        Add("DELETE", M + "/registered-models/alias", Needs(Manage, ModelName));
        Add("GET", M + "/registered-models/alias", Needs(Read, ModelName));
        Add("GET", M + "/model-versions/search", RoutePolicy.Authenticated);
        Add("POST", M + "/model-versions/create", Needs(Edit, ModelName));
        Add("GET", M + "/model-versions/get", Needs(Read, ModelName));
        Add("GET", M + "/model-versions/get-download-uri", Needs(Read, ModelName));
        Add("PATCH", M + "/model-versions/update", Needs(Edit, ModelName));
        Add("POST", M + "/model-versions/transition-stage", Needs(Edit, ModelName));
        Add("DELETE", M + "/model-versions/delete", Needs(Manage, ModelName));
        Add("POST", M + "/model-versions/set-tag", Needs(Edit, ModelName));
        Add("DELETE", M + "/model-versions/delete-tag", Needs(Edit, ModelName));
        Add("GET", "/model-versions/get-artifact", Needs(Read, ModelName));
        Add("GET", K + "/registry/events", Needs(Read, ModelName));

        // MLflow's GraphQL reads runs and experiments without naming them up front: admins only
        // (MLflow leaves it unchecked unless MLFLOW_SERVER_ENABLE_GRAPHQL_AUTH is set).
        Add("GET,POST", "/graphql", RoutePolicy.Admin);
        Add("GET,POST", "/api/graphql", RoutePolicy.Admin);
        Add("GET,POST", M + "/gateway-proxy", RoutePolicy.Authenticated);

        // Serving endpoints: roles in the endpoint's environment.
        Add("GET", K + "/endpoints", RoutePolicy.Authenticated);
        Add("POST", K + "/endpoints", RoleOf(EnvironmentRole.Deployer, "environment", lookup: GovernedLookup.EnvironmentName));
        Add("GET", K + "/endpoints/{name}", Viewer);
        Add("DELETE", K + "/endpoints/{name}", RoleOf(EnvironmentRole.Admin, "name"));
        Add("GET", K + "/endpoints/{name}/events", Viewer);
        Add("POST", K + "/endpoints/{name}/rollout", RoleOf(EnvironmentRole.Deployer, "name"));
        Add("POST", K + "/endpoints/{name}/promote", RoleOf(EnvironmentRole.Deployer, "name"));
        Add("POST", K + "/endpoints/{name}/rollback", RoleOf(EnvironmentRole.Deployer, "name"));
        Add("POST", K + "/endpoints/{name}/abort", RoleOf(EnvironmentRole.Deployer, "name"));
        Add("PUT", K + "/endpoints/{name}/traffic", RoleOf(EnvironmentRole.Deployer, "name"));
        Add("POST", K + "/endpoints/{name}/feedback", RoleOf(EnvironmentRole.Editor, "name"));
        Add("GET", K + "/endpoints/{name}/monitoring", Viewer);
        Add("GET", K + "/endpoints/{name}/monitoring/labels", Viewer);
        Add("GET", K + "/endpoints/{name}/monitoring/settings", Viewer);
        Add("PUT", K + "/endpoints/{name}/monitoring/settings", RoleOf(EnvironmentRole.Editor, "name"));
        Add("POST", "/endpoints/{name}/invocations", Viewer);
        Add("GET", "/v2/models/{name}", Viewer);
        Add("GET", "/v2/models/{name}/ready", Viewer);
        Add("POST", "/v2/models/{name}/infer", Viewer);

        // Alerts follow their endpoint.
        Add("GET", K + "/alerts", RoutePolicy.Authenticated);
        Add("GET", K + "/alerts/events", RoutePolicy.Authenticated);
        Add("POST", K + "/alerts/evaluate", RoutePolicy.Admin);
        Add("GET", K + "/alerts/rules", RoutePolicy.Authenticated);
        Add("POST", K + "/alerts/rules", RoleOf(EnvironmentRole.Editor, "endpoint"));
        Add("GET", K + "/alerts/rules/{name}", RoleOf(EnvironmentRole.Viewer, "name", lookup: GovernedLookup.AlertRule));
        Add("PUT", K + "/alerts/rules/{name}", RoleOf(EnvironmentRole.Editor, "endpoint"));
        Add("DELETE", K + "/alerts/rules/{name}", RoleOf(EnvironmentRole.Editor, "name", lookup: GovernedLookup.AlertRule));
        Add("GET", K + "/alerts/{id}", RoleOf(EnvironmentRole.Viewer, "id", lookup: GovernedLookup.AlertId));
        Add("GET", K + "/alerts/{id}/deliveries", RoleOf(EnvironmentRole.Viewer, "id", lookup: GovernedLookup.AlertId));
        Add("POST", K + "/alerts/{id}/ack", RoleOf(EnvironmentRole.Editor, "id", lookup: GovernedLookup.AlertId));

        // Online feature reads change nothing: any signed-in user, like listing datasets.
        Add("POST", K + "/features/online", RoutePolicy.Authenticated);

        // Datasets: roles in the dataset's environment.
        var dataset = GovernedResource.Dataset;
        Add("GET", K + "/datasets", RoutePolicy.Authenticated);
        Add("GET", K + "/datasets/events", RoutePolicy.Authenticated);
        Add("GET", K + "/datasets/by-digest/{digest}", RoutePolicy.Authenticated);
        Add("GET", K + "/datasets/resolve", RoleOf(EnvironmentRole.Viewer, "uri", dataset, GovernedLookup.DatasetUri));
        Add("GET", K + "/datasets/{name}", RoleOf(EnvironmentRole.Viewer, "name", dataset));
        Add("PATCH", K + "/datasets/{name}", RoleOf(EnvironmentRole.Editor, "name", dataset));
        Add("DELETE", K + "/datasets/{name}", RoleOf(EnvironmentRole.Admin, "name", dataset));
        Add("GET", K + "/datasets/{name}/versions", RoleOf(EnvironmentRole.Viewer, "name", dataset));
        Add("POST", K + "/datasets/{name}/versions", RoleOf(EnvironmentRole.Editor, "name", dataset));
        Add("GET", K + "/datasets/{name}/versions/{version}", RoleOf(EnvironmentRole.Viewer, "name", dataset));
        Add("GET", K + "/datasets/{name}/aliases/{alias}", RoleOf(EnvironmentRole.Viewer, "name", dataset));
        Add("PUT", K + "/datasets/{name}/aliases/{alias}", RoleOf(EnvironmentRole.Editor, "name", dataset));
        Add("DELETE", K + "/datasets/{name}/aliases/{alias}", RoleOf(EnvironmentRole.Editor, "name", dataset));
        Add("GET", K + "/lineage", RoutePolicy.Authenticated);

        // Features: reading is like reading datasets; applying definitions and recording
        // materialization like editing them (a role in the default environment: definitions are shared).
        var featureEditor = RoleOf(EnvironmentRole.Editor, "environment", GovernedResource.Dataset, GovernedLookup.EnvironmentName);
        Add("GET", K + "/features/catalog", RoutePolicy.Authenticated);
        Add("POST", K + "/features/plan", RoutePolicy.Authenticated);
        Add("POST", K + "/features/apply", featureEditor);
        Add("GET", K + "/features/versions", RoutePolicy.Authenticated);
        Add("GET", K + "/features/materialization/{view}", RoutePolicy.Authenticated);
        Add("POST", K + "/features/materialization/{view}", featureEditor);

        // Pipelines: roles in the pipeline's environment; running one deploys.
        var pipeline = GovernedResource.Pipeline;
        Add("GET", K + "/pipelines", RoutePolicy.Authenticated);
        Add("POST", K + "/pipelines", RoleOf(EnvironmentRole.Editor, "definition", pipeline, GovernedLookup.PipelineDefinition));
        Add("GET", K + "/pipelines/step-types", RoutePolicy.Authenticated);
        Add("GET", K + "/pipelines/events", RoutePolicy.Authenticated);
        Add("GET", K + "/pipelines/runs", RoutePolicy.Authenticated);
        Add("GET", K + "/pipelines/runs/{id}", RoleOf(EnvironmentRole.Viewer, "id", pipeline, GovernedLookup.PipelineRun));
        Add("GET", K + "/pipelines/runs/{id}/logs", RoleOf(EnvironmentRole.Viewer, "id", pipeline, GovernedLookup.PipelineRun));
        Add("POST", K + "/pipelines/runs/{id}/cancel", RoleOf(EnvironmentRole.Deployer, "id", pipeline, GovernedLookup.PipelineRun));
        Add("GET", K + "/pipelines/{name}", RoleOf(EnvironmentRole.Viewer, "name", pipeline));
        Add("POST", K + "/pipelines/{name}/plan", RoleOf(EnvironmentRole.Viewer, "name", pipeline));
        Add("POST", K + "/pipelines/{name}/runs", RoleOf(EnvironmentRole.Deployer, "name", pipeline));

        // Users and permissions, as MLflow's auth app: users are the admins' (a user reads and re-passwords
        // themselves); a resource's permissions are for whoever may MANAGE it.
        Add("POST", M + "/users/create", RoutePolicy.Admin);
        Add("GET", M + "/users/get", new SelfPolicy("username"));
        Add("PATCH", M + "/users/update-password", new SelfPolicy("username"));
        Add("PATCH", M + "/users/update-admin", RoutePolicy.Admin);
        Add("DELETE", M + "/users/delete", RoutePolicy.Admin);
        foreach (var verb in new[] { ("POST", "create"), ("GET", "get"), ("PATCH", "update"), ("DELETE", "delete") })
        {
            Add(verb.Item1, M + "/experiments/permissions/" + verb.Item2, Needs(Manage, ExperimentId));
            Add(verb.Item1, M + "/registered-models/permissions/" + verb.Item2, Needs(Manage, ModelName));
        }

        // Keel's own: whoami and tokens for everyone (a user's own tokens; the use case lets admins
        // act for others), groups, roles and environments changed by admins, decisions on approvals
        // by the environment's deployers (checked by the approval use case, with four-eyes).
        Add("GET", K + "/whoami", RoutePolicy.Authenticated);
        Add("GET", K + "/users", RoutePolicy.Admin);
        Add("GET,POST", K + "/tokens", RoutePolicy.Authenticated);
        Add("POST", K + "/tokens/{id}/revoke", RoutePolicy.Authenticated);
        Add("GET", K + "/groups", RoutePolicy.Authenticated);
        Add("PUT,DELETE", K + "/groups/{group}/members/{username}", RoutePolicy.Admin);
        Add("GET", K + "/roles", RoutePolicy.Authenticated);
        Add("PUT,DELETE", K + "/roles", RoutePolicy.Admin);
        Add("GET", K + "/environments", RoutePolicy.Authenticated);
        Add("GET", K + "/environments/assignments", RoutePolicy.Authenticated);
        Add("PUT,DELETE", K + "/environments/assignments", RoutePolicy.Admin);
        Add("PUT", K + "/environments/{name}", RoutePolicy.Admin);
        Add("GET,POST", K + "/approvals", RoutePolicy.Authenticated);
        Add("GET", K + "/approvals/{id}", RoutePolicy.Authenticated);
        Add("POST", K + "/approvals/{id}/approve", RoutePolicy.Authenticated);
        Add("POST", K + "/approvals/{id}/reject", RoutePolicy.Authenticated);

        // The audit log reads everything that changed, by whom: admins.
        foreach (var route in new[] { "/events", "/verify", "/at", "/export" })
        {
            Add("GET", K + "/audit" + route, RoutePolicy.Admin);
        }

        // The stores' internal routes (serving replicas, workers): admins (a worker signs in with an admin's token).
        foreach (var (methods, path) in InternalRoutes)
        {
            Add(methods, path, RoutePolicy.Admin);
        }

        return t.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
