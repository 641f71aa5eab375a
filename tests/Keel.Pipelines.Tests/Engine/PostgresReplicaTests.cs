using System.Security.Cryptography;
using System.Text;
using Keel.Application;
using Keel.Application.Data;
using Keel.Application.Jobs;
using Keel.Application.Pipelines;
using Keel.Application.Pipelines.Scheduling;
using Keel.Artifacts;
using Keel.Core.Data;
using Keel.Core.Pipelines;
using Keel.Pipelines.Hosting;
using Keel.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Keel.Pipelines.Tests.Engine;

/// <summary>
/// Two <c>keel server</c> replicas (runner, in-process worker, scheduler loop) and a <c>keel worker</c>
/// on one PostgreSQL database: a worker killed while it holds steps and a scheduler leader that stops
/// lose no run and record no step twice. Needs <c>KEEL_TEST_POSTGRES</c>; skipped without it.
/// </summary>
public sealed class PostgresReplicaTests
{
    private const string Definition = """
        name: three
        concurrency: 100
        params: {n: '0'}
        steps:
          - {name: a, type: noop, cache: false, params: {value: '${params.n}'}}
          - {name: b, type: noop, cache: false, inputs: {in: '${steps.a.value}'}}
          - {name: c, type: noop, cache: false, inputs: {in: '${steps.b.value}'}}
        triggers:
          - {name: fresh, dataset: events, params: {n: 'v${event.version}'}}
        """;

    [PostgresFact]
    public async Task Thirty_runs_survive_a_killed_worker_and_a_scheduler_handover_with_each_step_succeeding_once()
    {
        var settings = PostgresUri.Parse(Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable)!);
        settings.SearchPath = $"keel_test_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..12]}";
        var root = Directory.CreateTempSubdirectory("keel-pipeline-pg-").FullName;
        var server1 = Replica.Open(settings, root, "server-1", blocking: false);
        var server2 = Replica.Open(settings, root, "server-2", blocking: false);
        var worker = Replica.Open(settings, root, "worker", blocking: true);
        using var stopAll = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await new PipelineService(server1.Runner).ApplyPipelineAsync(Definition);

            // The scheduler loop of each server ticks; server 1 takes the lease first.
            await server1.Loop.TickAsync(stopAll.Token);
            using var stop1 = CancellationTokenSource.CreateLinkedTokenSource(stopAll.Token);
            var ticking1 = server1.TickAsync(stop1.Token);
            var ticking2 = server2.TickAsync(stopAll.Token);

            // The keel worker starts alone and takes the first steps, which hang there (its step type blocks until it dies).
            using var killWorker = CancellationTokenSource.CreateLinkedTokenSource(stopAll.Token);
            using var keelWorker = worker.Worker(concurrency: 2);
            var workerRunning = keelWorker.RunAsync(killWorker.Token);
            var manual = new List<long>();
            for (var i = 0; i < 10; i++)
            {
                var by = i % 2 == 0 ? server1 : server2;
                manual.Add((await by.Runner.StartAsync("three", new Dictionary<string, string> { ["n"] = $"m{i}" }, PipelineTrigger.Manual("tester"), null, null, stopAll.Token)).Run.Id);
            }

            await PipelineHarness.WaitForAsync(() => Task.FromResult(worker.Blocking!.Started.Count >= 2), "the keel worker to hold two steps");

            // The servers' in-process workers start; then the keel worker is killed while it holds its steps.
            using var worker1 = server1.Worker(concurrency: 2);
            using var worker2 = server2.Worker(concurrency: 2);
            var running1 = worker1.RunAsync(stopAll.Token);
            var running2 = worker2.RunAsync(stopAll.Token);
            for (var v = 1; v <= 5; v++)
            {
                await server1.AddVersionAsync($"v{v}", stopAll.Token);
            }

            for (var i = 10; i < 20; i++)
            {
                var by = i % 2 == 0 ? server1 : server2;
                manual.Add((await by.Runner.StartAsync("three", new Dictionary<string, string> { ["n"] = $"m{i}" }, PipelineTrigger.Manual("tester"), null, null, stopAll.Token)).Run.Id);
            }

            await killWorker.CancelAsync();
            keelWorker.DrainNow();
            await workerRunning;

            // Server 1 fired the first versions' runs; then its scheduler stops (without giving up the lease).
            await PipelineHarness.WaitForAsync(async () => (await TriggeredAsync(server1)).Count == 5, "server 1's scheduler to start the first five triggered runs");
            await stop1.CancelAsync();
            await ticking1;
            for (var v = 6; v <= 10; v++)
            {
                await server2.AddVersionAsync($"v{v}", stopAll.Token);
            }

            // Server 2 takes the lease once it expires and fires the rest.
            await PipelineHarness.WaitForAsync(async () => (await TriggeredAsync(server2)).Count == 10, "server 2's scheduler to take over and start the rest", TimeSpan.FromSeconds(60));
            await PipelineHarness.WaitForAsync(
                async () => (await server2.Store.ListRunsAsync(new PipelineRunQuery("three", [PipelineRunState.Queued, PipelineRunState.Running], null, 100))).Count == 0,
                "every run to end", TimeSpan.FromSeconds(90));
            await stopAll.CancelAsync();
            await Task.WhenAll(running1, running2);
            await ticking2;

            var runs = await server2.Store.ListRunsAsync(new PipelineRunQuery("three", null, null, 1000));
            Assert.Equal(30, runs.Count);
            Assert.All(runs, r => Assert.Equal(PipelineRunState.Succeeded, r.State));
            Assert.Equal(
                Enumerable.Range(1, 10).Select(v => $"v{v}").Order(StringComparer.Ordinal),
                runs.Where(r => r.Trigger.Kind == "dataset").Select(r => r.Parameters["n"]).Order(StringComparer.Ordinal));
            Assert.Equal(manual.Order(), runs.Where(r => r.Trigger.Kind == "manual").Select(r => r.Id).Order());
            var events = await server2.Store.ListEventsAsync(0, null, 10_000);
            foreach (var run in runs)
            {
                var steps = await server2.Store.GetStepsAsync(run.Id);
                Assert.All(steps, s => Assert.Equal(StepRunState.Succeeded, s.State));
                foreach (var step in new[] { "a", "b", "c" })
                {
                    Assert.Single(events, e => e.RunId == run.Id && e.Step == step && e.State is "succeeded" or "cached");
                }

                Assert.Equal(run.Parameters["n"], steps.Single(s => s.Step == "a").Outputs["value"]);
            }

            // The steps the killed worker held were taken over as a second try.
            Assert.Equal(2, worker.Blocking!.Started.Count);
            foreach (var (step, runId, attempt) in worker.Blocking.Started)
            {
                Assert.Equal(1, attempt);
                Assert.Equal(2, (await server2.Store.GetStepsAsync(runId)).Single(s => s.Step == step).Attempt);
            }
        }
        finally
        {
            await stopAll.CancelAsync();
            foreach (var replica in new[] { server1, server2, worker })
            {
                replica.Dispose();
            }

            using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(settings.ConnectionString) { SearchPath = null, Pooling = false }.ConnectionString))
            {
                connection.Open();
                using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{settings.SearchPath}\" CASCADE", connection);
                drop.ExecuteNonQuery();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<List<PipelineRun>> TriggeredAsync(Replica replica) =>
        [.. (await replica.Store.ListRunsAsync(new PipelineRunQuery("three", null, null, 1000))).Where(r => r.Trigger.Kind == "dataset")];

    /// <summary>One process's view: its own connection pool and stores on the shared schema, a runner, and a scheduler loop.</summary>
    private sealed class Replica : IDisposable
    {
        private readonly PostgresDatabase _database;
        private readonly List<IDisposable> _stores = [];

        private Replica(PostgresDatabase database, string root, string id, bool blocking)
        {
            _database = database;
            Id = id;
            var tracking = Own(new PostgresTrackingStore(database));
            Store = Own(new PostgresPipelineStore(database));
            Queue = Own(new PostgresJobQueue(database));
            var leases = Own(new PostgresServingStore(database));
            Datasets = Own(new PostgresDatasetStore(database));
            var registry = Own(new PostgresModelRegistryStore(database));
            var alerts = Own(new PostgresAlertStore(database));

            // The keel worker's noop never finishes by itself: it holds its steps until the worker dies.
            Blocking = blocking ? new ProbeStep("noop") { Behaviour = async (_, token) => { await Task.Delay(Timeout.Infinite, token); return "never"; } } : null;
            var catalog = new StepTypeCatalog(Blocking is null ? BuiltInSteps.Basic() : [Blocking]);
            var datasets = new DatasetService(Datasets, new LocalArtifactStore(Path.Combine(root, "artifacts")));
            Runner = new PipelineRunner(
                Store, catalog, Queue, new PipelineInputResolver(datasets, registry, tracking), new TrackingService(tracking),
                new PipelineOptions(Path.Combine(root, id, "work")), Signal);
            var scheduler = new PipelineScheduler(Runner, Datasets, alerts, registry, Queue);
            Loop = new PipelineLoop(
                Runner, scheduler, leases, Queue, Signal,
                new PipelineHostOptions { InProcess = false, SchedulerInterval = TimeSpan.FromMilliseconds(50), ReconcileEvery = 3 }, id, NullLogger<PipelineLoop>.Instance);
        }

        public static Replica Open(NpgsqlConnectionStringBuilder settings, string root, string id, bool blocking) =>
            new(PostgresDatabase.Open(new NpgsqlConnectionStringBuilder(settings.ConnectionString)), root, id, blocking);

        public string Id { get; }

        public PostgresPipelineStore Store { get; }

        public PostgresJobQueue Queue { get; }

        public PostgresDatasetStore Datasets { get; }

        public JobSignal Signal { get; } = new();

        public PipelineRunner Runner { get; }

        public PipelineLoop Loop { get; }

        public ProbeStep? Blocking { get; }

        public JobWorker Worker(int concurrency) => new(
            Queue, [new PipelineStepHandler(Runner)],
            new JobWorkerOptions($"{Id}-steps", concurrency, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5)), null, Signal);

        /// <summary>Scheduler passes every 50 ms until stopped, as <see cref="PipelineLoop"/> does in a server.</summary>
        public async Task TickAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Loop.TickAsync(stop);
                    await Task.Delay(50, stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        public Task AddVersionAsync(string content, CancellationToken cancellationToken) =>
            Datasets.AddVersionAsync(new NewDatasetVersion("events", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))), "csv", 1, 10), "tester", cancellationToken);

        private T Own<T>(T store)
            where T : IDisposable
        {
            _stores.Add(store);
            return store;
        }

        public void Dispose()
        {
            _stores.ForEach(s => s.Dispose());
            _database.Dispose();
        }
    }
}
