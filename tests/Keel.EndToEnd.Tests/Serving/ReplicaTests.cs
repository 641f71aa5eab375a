using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Keel.Client;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Serving;

/// <summary>
/// Two `keel server` replicas on one PostgreSQL schema and one artifact store: what is written
/// through one is read through the other, an endpoint changed on one serves the new version on
/// both, a stale change is a 409 with the current state, and when the replica that leads the
/// rollout controller is killed with SIGKILL mid-rollout, the other finishes it while load through
/// both replicas fails no request.
/// </summary>
public sealed class ReplicaTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [PostgresServerFact]
    public async Task Two_replicas_agree_under_changes_load_and_a_killed_leader()
    {
        await using var database = TestPostgresSchema.Create();
        var shared = TempDirs.Create("keel-e2e-replicas-artifacts");
        var env = new Dictionary<string, string?> { ["KEEL_ROLLOUT_INTERVAL_MS"] = "100" };
        string[] args = ["--backend-store-uri", database.Uri, "--artifacts-destination", shared];
        var a = await KeelServerProcess.StartAsync(extraArgs: args, env: env);
        var b = await KeelServerProcess.StartAsync(extraArgs: args, env: env);
        try
        {
            using var httpA = new HttpClient { BaseAddress = a.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
            using var httpB = new HttpClient { BaseAddress = b.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
            var apiA = new ServingApi(httpA);
            var apiB = new ServingApi(httpB);

            // Logged and registered through A, read through B.
            var v1 = await apiA.RegisterLinearAsync("replicated", [1f, 0f, 0f], 0f);
            var v2 = await apiA.RegisterLinearAsync("replicated", [0f, 1f, 0f], 0f);
            using (var clientB = new KeelClient(b.BaseUri))
            {
                var experiment = await clientB.GetExperimentByNameAsync("serving-e2e");
                Assert.NotNull(experiment);
                Assert.Equal("replicated", (await clientB.GetModelVersionAsync("replicated", 2)).Name);
            }

            // An alias is pinned when the endpoint is created: both replicas serve that version.
            await apiA.OkAsync(HttpMethod.Post, "/api/2.0/mlflow/registered-models/alias", new { name = "replicated", alias = "champion", version = "1" });
            var created = await apiA.CreateEndpointAsync("rep", "models:/replicated@champion");
            Assert.Equal(v1, (string?)created["endpoint"]!["routes"]![0]!["model_uri"]);
            Assert.Equal(1, (long)created["endpoint"]!["version"]!);
            await WaitServedAsync(apiB, "rep", 3.0, "replicated/1");

            // A traffic change on A is served by B (blue-green: all traffic to v2 at once).
            var switched = await apiA.OkAsync(HttpMethod.Put, "/api/2.0/keel/endpoints/rep/traffic", new { mode = "blue_green", model_uri = v2, expected_version = 1 });
            Assert.Equal(2, (long)switched["endpoint"]!["version"]!);
            await WaitServedAsync(apiB, "rep", 5.0, "replicated/2");

            // A change made from revision 1 through B is refused: 409 with the endpoint as it is now.
            var (status, conflict, response) = await apiB.SendAsync(HttpMethod.Post, "/api/2.0/keel/endpoints/rep/rollback", new { expected_version = 1 });
            response.Dispose();
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Equal("RESOURCE_CONFLICT", (string?)conflict!["error_code"]);
            Assert.Equal(2, (long)conflict["endpoint"]!["endpoint"]!["version"]!);
            await apiB.OkAsync(HttpMethod.Post, "/api/2.0/keel/endpoints/rep/rollback", new { expected_version = 2 });
            await WaitServedAsync(apiA, "rep", 3.0, "replicated/1");

            // A rollout of v2 with steps held long enough for the kill to land mid-rollout: timed
            // holds, since under fast load a hold counted in requests can end the rollout before the kill.
            await apiA.OkAsync(HttpMethod.Post, "/api/2.0/keel/endpoints/rep/rollout",
                new { model_uri = v2, steps = new[] { 10, 50, 100 }, hold_seconds = 3.0, policy = new { p99_latency_slack_ms = 2000.0, max_divergence = 1.0, min_requests = 20 } });

            // Load through both replicas across the rollout's swaps and the kill. Requests in flight
            // to the killed replica when it dies are a load balancer's to retry and are not counted;
            // every other request must succeed.
            var failures = new ConcurrentBag<string>();
            ServingApi? dead = null;
            using var stop = new CancellationTokenSource();
            async Task DriveAsync(int seed)
            {
                var rnd = new Random(seed);
                while (!stop.IsCancellationRequested)
                {
                    var api = rnd.Next(2) == 0 ? apiA : apiB;
                    if (api == Volatile.Read(ref dead))
                    {
                        continue;
                    }

                    var (code, _, _) = await api.InferAsync("rep", rnd.NextDouble(), rnd.NextDouble(), rnd.NextDouble());
                    if (code != HttpStatusCode.OK && api != Volatile.Read(ref dead))
                    {
                        failures.Add($"{(int)code} from {(api == apiA ? "A" : "B")}");
                    }
                }
            }

            var load = Enumerable.Range(0, 4).Select(i => Task.Run(() => DriveAsync(i))).ToArray();
            try
            {
                // Kill whichever replica leads once the rollout has taken its first step.
                await apiB.WaitForAsync("rep", s => ((JsonArray)s["endpoint"]!["rollout"]!["history"]!).Count >= 1, Timeout);
                var leader = await LeaderAsync(database);
                var aLeads = leader.EndsWith("-" + a.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                var (victim, victimApi, survivor) = aLeads ? (a, apiA, apiB) : (b, apiB, apiA);
                Volatile.Write(ref dead, victimApi);
                victim.Kill();

                var done = await survivor.WaitForAsync("rep", s => ServingApi.RolloutState(s) != "running", Timeout);
                Assert.Equal("promoted", ServingApi.RolloutState(done));
                var history = ((JsonArray)done["endpoint"]!["rollout"]!["history"]!).Select(h => ((int)h!["percent"]!, (string?)h["outcome"])).ToList();
                // Every step once, in order, across the two leaders.
                Assert.Equal([(10, "passed"), (50, "passed"), (100, "promoted")], history);
                var actions = (await survivor.OkAsync(HttpMethod.Get, "/api/2.0/keel/endpoints/rep/events"))["events"]!.AsArray()
                    .Select(e => (string?)e!["action"]).Reverse().SkipWhile(x => x != "rollout.start").ToList();
                Assert.Equal(["rollout.start", "rollout.step", "rollout.step", "rollout.promote"], actions);
                Assert.NotEqual(leader, await LeaderAsync(database));
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(load);
            }

            Assert.Empty(failures);
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            TempDirs.TryDelete(shared);
        }
    }

    private static async Task WaitServedAsync(ServingApi api, string endpoint, double expected, string version)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var (status, prediction, served) = await api.InferAsync(endpoint, 3.0, 5.0, 7.0);
            if (status == HttpStatusCode.OK && prediction == expected && served == version)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{endpoint} still answers {status} {prediction} from {served}, expected {expected} from {version}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<string> LeaderAsync(TestPostgresSchema database)
    {
        var settings = Keel.Storage.Postgres.PostgresUri.Parse(database.Uri);
        settings.Pooling = false;
        await using var connection = new Npgsql.NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT holder FROM leases WHERE name = 'rollout-controller'", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
