using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.EndToEnd.Tests.Serving;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// A real `keel server` seeded with one of everything a bad request could damage (an experiment
/// and run with data, a registered model with a version, tag and alias, a serving endpoint), and a
/// snapshot of all of it read back through the API, so a test can prove that nothing changed.
/// </summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public const string Model = "bad-input-model";
    public const string Endpoint = "bad-input-ep";
    public const string MonitoredEndpoint = "bad-input-mon";
    public const string Pipeline = "bad-input-pipe";

    /// <summary>A pipeline applied through the pipelines API (not the store), with one finished run.</summary>
    public const string Flow = "bad-input-flow";

    /// <summary>The finished run of <see cref="Flow"/> (run 1 is the store-seeded queued run).</summary>
    public const int FinishedRun = 2;

    private const string FlowApi = "/api/2.0/keel/pipelines";
    private const string PipelineApi = "/api/2.0/keel/pipelines/store";
    private const string MonitorApi = "/api/2.0/keel/monitoring/store/endpoints/" + MonitoredEndpoint;

    private KeelServerProcess? _server;

    public KeelServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    public HttpClient Http { get; } = new();

    public string ExperimentId { get; private set; } = string.Empty;

    public string RunId { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _server = await KeelServerProcess.StartAsync();
        Http.BaseAddress = _server.BaseUri;
        var api = new MlflowApi(Http);
        ExperimentId = await api.CreateExperimentAsync("bad-input-seed");
        RunId = await api.CreateRunAsync(ExperimentId, "seed-run");
        await api.OkAsync("runs/log-batch", new
        {
            run_id = RunId,
            metrics = new[] { new { key = "m", value = 1.5, timestamp = 1L, step = 0L } },
            @params = new[] { new { key = "p", value = "v" } },
            tags = new[] { new { key = "t", value = "v" } },
        });

        // A monitored bucket with an indexed prediction, its label, its quality and settings, which a bad monitoring-store write could damage.
        await SendOkAsync(HttpMethod.Post, MonitorApi + "/buckets", """{"bucket": {"start": 1700000100000, "seconds": 300, "requests": 1, "stats": "{}", "computed_at": 1700000400000}, "predictions": [{"request_id": "r1", "version": "1", "predicted": "1"}]}""");
        await SendOkAsync(HttpMethod.Post, MonitorApi + "/labels", """{"labels": [{"request_id": "r1", "label": "1"}, {"request_id": "stray", "label": "0"}]}""");
        await SendOkAsync(HttpMethod.Put, MonitorApi + "/settings", """{"drift": "{}", "updated_at": 1700000000000}""");

        // A pipeline with a queued run (id 1), a cache entry and a trigger's state, which a bad pipeline-store write could damage.
        await SendOkAsync(HttpMethod.Put, PipelineApi + "/pipelines/" + Pipeline, """{"source": "steps: [train]", "hash": "h1"}""");
        await SendOkAsync(HttpMethod.Post, PipelineApi + "/runs", """{"pipeline": "bad-input-pipe", "pipeline_version": 1, "trigger": {"kind": "manual"}, "steps": ["train"], "dedupe_key": "d1"}""");
        await SendOkAsync(HttpMethod.Post, PipelineApi + "/cache", """{"key": "k1", "pipeline": "bad-input-pipe", "step": "train", "run_id": 1, "outputs": {"m": "v"}, "created_at": 1}""");
        await SendOkAsync(HttpMethod.Put, PipelineApi + "/pipelines/" + Pipeline + "/triggers/nightly", """{"state": {"cursor": "1", "fired": 1, "updated_at": 1}}""");

        // A pipeline applied through the pipelines API with a run that has finished (run 2): bad
        // applies, starts, plans and cancels could damage it.
        await SendOkAsync(HttpMethod.Post, FlowApi, new JsonObject { ["definition"] = $"name: {Flow}\nparams: {{v: \"1\"}}\nsteps: [{{name: a, type: noop, params: {{value: \"${{params.v}}\"}}}}]" }.ToJsonString());
        await SendOkAsync(HttpMethod.Post, $"{FlowApi}/{Flow}/runs", "{}");
        await WaitForAsync($"{FlowApi}/runs/{FinishedRun}", run => (string?)run["run"]?["state"] == "succeeded");
        var flowRun = JsonNode.Parse(await Http.GetStringAsync(new Uri($"{FlowApi}/runs/{FinishedRun}", UriKind.Relative)))!;
        // The run's MLflow run is ended right after the run itself: wait for that too, so the snapshot is settled.
        await WaitForAsync($"/api/2.0/mlflow/runs/get?run_id={(string)flowRun["run"]!["mlflow_run_id"]!}", r => (string?)r["run"]?["info"]?["status"] == "FINISHED");

        // Users with a permission on the seeded experiment and model, a token, a group and a role,
        // which a bad governance write could damage.
        await SendOkAsync(HttpMethod.Post, "/api/2.0/mlflow/users/create", """{"username": "bad-input-user", "password": "bad-input-password"}""");
        await SendOkAsync(HttpMethod.Post, "/api/2.0/mlflow/users/create", """{"username": "bad-input-other", "password": "bad-input-password"}""");
        await SendOkAsync(HttpMethod.Post, "/api/2.0/mlflow/experiments/permissions/create", $$"""{"experiment_id": "{{ExperimentId}}", "username": "bad-input-user", "permission": "READ"}""");
        await SendOkAsync(HttpMethod.Post, "/api/2.0/keel/tokens", """{"name": "bad-input-token", "username": "bad-input-user"}""");
        await SendOkAsync(HttpMethod.Put, "/api/2.0/keel/groups/bad-input-group/members/bad-input-user", "{}");
        await SendOkAsync(HttpMethod.Put, "/api/2.0/keel/roles", """{"principal": "group:bad-input-group", "environment": "prod", "role": "deployer"}""");

        var serving = new ServingApi(Http);
        var uri = await serving.RegisterLinearAsync(Model, [1f, 2f, 3f], 0.5f);
        await api.OkAsync("registered-models/set-tag", new { name = Model, key = "t", value = "v" });
        await api.OkAsync("registered-models/alias", new { name = Model, alias = "champion", version = "1" });
        await serving.CreateEndpointAsync(Endpoint, uri);
        await SendOkAsync(HttpMethod.Post, "/api/2.0/mlflow/registered-models/permissions/create", $$"""{"name": "{{Model}}", "username": "bad-input-user", "permission": "EDIT"}""");
        // The endpoint answers once its version has loaded.
        await serving.WaitForAsync(Endpoint, shown => shown["live"]?.AsArray().All(r => (bool?)r!["ready"] == true) == true, TimeSpan.FromSeconds(60));
        using var rule = await Http.PostAsync(
            new Uri("/api/2.0/keel/alerts/rules", UriKind.Relative),
            new StringContent($$"""{"rules": [{"name": "bad-input-rule", "endpoint": "{{Endpoint}}", "metric": "error_rate", "window": "5m", "warning": 0.1}]}""", Encoding.UTF8, "application/json"));
        Assert.True(rule.IsSuccessStatusCode, await rule.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task SendOkAsync(HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await Http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"seeding {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task WaitForAsync(string path, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var node = JsonNode.Parse(await Http.GetStringAsync(new Uri(path, UriKind.Relative)))!;
            if (done(node))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"seeding: {path} did not settle: {node.ToJsonString()}");
            }

            // A short poll interval, not a synchronisation: the condition decides.
            await Task.Delay(50);
        }
    }

    /// <summary>Everything the seeded state consists of, as the API shows it (live serving figures excluded).</summary>
    public async Task<string> SnapshotAsync()
    {
        var parts = new StringBuilder();
        async Task Add(string label, HttpMethod method, string path, string? body = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"snapshot read {path} answered {(int)response.StatusCode}: {text}");
            parts.Append(label).Append(": ").AppendLine(text);
        }

        await Add("experiments", HttpMethod.Get, "/api/2.0/mlflow/experiments/search?max_results=1000&view_type=ALL");
        var experiments = JsonNode.Parse(await Http.GetStringAsync(new Uri("/api/2.0/mlflow/experiments/search?max_results=1000&view_type=ALL", UriKind.Relative)))!;
        var ids = experiments["experiments"]!.AsArray().Select(e => (string)e!["experiment_id"]!).ToArray();
        await Add("runs", HttpMethod.Post, "/api/2.0/mlflow/runs/search", new JsonObject
        {
            ["experiment_ids"] = new JsonArray([.. ids.Select(i => (JsonNode)i)]),
            ["run_view_type"] = "ALL",
            ["max_results"] = 1000,
        }.ToJsonString());
        await Add("models", HttpMethod.Get, "/api/2.0/mlflow/registered-models/search?max_results=1000");
        await Add("versions", HttpMethod.Get, "/api/2.0/mlflow/model-versions/search?max_results=1000");
        await Add("registry events", HttpMethod.Get, $"/api/2.0/keel/registry/events?name={Model}");
        await Add("metric history", HttpMethod.Get, $"/api/2.0/mlflow/metrics/get-history?run_id={RunId}&metric_key=m");
        // Monitoring enqueues and runs its bucket jobs on its own as time passes, so only the kind
        // the cases can touch is compared.
        await Add("jobs", HttpMethod.Get, "/api/2.0/keel/jobs?kind=batch-score&max_results=1000");
        await Add("datasets", HttpMethod.Get, "/api/2.0/keel/datasets?max_results=1000");
        await Add("dataset events", HttpMethod.Get, "/api/2.0/keel/datasets/events?max_results=1000");
        await Add("monitoring buckets", HttpMethod.Get, MonitorApi + "/buckets?from=0&to=4102444800000");
        await Add("monitoring labeled", HttpMethod.Get, MonitorApi + "/buckets/1700000100000/labeled");
        await Add("monitoring labels", HttpMethod.Get, MonitorApi + "/labels/summary");
        await Add("monitoring stale", HttpMethod.Get, MonitorApi + "/stale-quality");
        await Add("monitoring settings", HttpMethod.Get, MonitorApi + "/settings");
        await Add("alert rules", HttpMethod.Get, "/api/2.0/keel/alerts/rules");
        await Add("alerts", HttpMethod.Get, "/api/2.0/keel/alerts?max_results=1000");
        await Add("alert events", HttpMethod.Get, "/api/2.0/keel/alerts/events?max_results=1000");
        await Add("pipelines", HttpMethod.Get, PipelineApi + "/pipelines");
        await Add("pipeline runs", HttpMethod.Get, PipelineApi + "/runs");
        await Add("pipeline steps", HttpMethod.Get, PipelineApi + "/runs/1/steps");
        await Add("pipeline log", HttpMethod.Get, PipelineApi + "/runs/1/log");
        await Add("pipeline events", HttpMethod.Get, PipelineApi + "/events");
        await Add("pipeline cache", HttpMethod.Get, PipelineApi + "/cache?key=k1");
        await Add("pipeline cache k2", HttpMethod.Get, PipelineApi + "/cache?key=k2");
        await Add("pipeline triggers", HttpMethod.Get, PipelineApi + "/pipelines/" + Pipeline + "/triggers");
        await Add("pipelines (api)", HttpMethod.Get, FlowApi);
        await Add("pipeline (api)", HttpMethod.Get, $"{FlowApi}/{Flow}");
        await Add("pipeline runs (api)", HttpMethod.Get, $"{FlowApi}/runs?max_results=1000");
        await Add("pipeline run (api)", HttpMethod.Get, $"{FlowApi}/runs/{FinishedRun}");
        await Add("pipeline run log (api)", HttpMethod.Get, $"{FlowApi}/runs/{FinishedRun}/logs");
        await Add("pipeline events (api)", HttpMethod.Get, $"{FlowApi}/events?max_results=1000");
        await Add("pipeline jobs", HttpMethod.Get, "/api/2.0/keel/jobs?kind=pipeline-step&max_results=1000");
        await Add("users", HttpMethod.Get, "/api/2.0/keel/users");
        await Add("user", HttpMethod.Get, "/api/2.0/mlflow/users/get?username=bad-input-user");
        await Add("other user", HttpMethod.Get, "/api/2.0/mlflow/users/get?username=bad-input-other");
        await Add("tokens", HttpMethod.Get, "/api/2.0/keel/tokens?all=true");
        await Add("groups", HttpMethod.Get, "/api/2.0/keel/groups");
        await Add("roles", HttpMethod.Get, "/api/2.0/keel/roles");
        await Add("feature catalog", HttpMethod.Get, "/api/2.0/keel/features/catalog");
        await Add("feature materialization", HttpMethod.Get, "/api/2.0/keel/features/materialization/bad-input-view");

        var endpoints = JsonNode.Parse(await Http.GetStringAsync(new Uri("/api/2.0/keel/endpoints", UriKind.Relative)))!;
        foreach (var e in endpoints["endpoints"]!.AsArray())
        {
            parts.Append("endpoint: ").AppendLine(e!["endpoint"]!.ToJsonString());
            var name = (string)e["endpoint"]!["name"]!;
            await Add("endpoint events " + name, HttpMethod.Get, $"/api/2.0/keel/endpoints/{name}/events");
            await Add("endpoint labels " + name, HttpMethod.Get, $"/api/2.0/keel/endpoints/{name}/monitoring/labels");
            await Add("endpoint monitoring settings " + name, HttpMethod.Get, $"/api/2.0/keel/endpoints/{name}/monitoring/settings");
        }

        return parts.ToString();
    }
}
