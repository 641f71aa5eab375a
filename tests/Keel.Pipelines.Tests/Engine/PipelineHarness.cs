using Keel.Application;
using Keel.Application.Data;
using Keel.Application.Jobs;
using Keel.Application.Pipelines;
using Keel.Application.Pipelines.Scheduling;
using Keel.Artifacts;
using Keel.Core.Coordination;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.Core.Pipelines;
using Keel.Storage.Sqlite;

namespace Keel.Pipelines.Tests.Engine;

/// <summary>
/// The pipeline engine over real SQLite stores in a temp dir: pipeline store, job queue, leases,
/// tracking, datasets, alerts and the registry, all on one file and one clock (a fake one when a
/// test moves time). Steps run either through a real <see cref="JobWorker"/> or through
/// <see cref="PumpAsync"/>, which leases and runs jobs one at a time on the test's thread, so a
/// test decides exactly what happens in which order.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    public PipelineHarness(TimeProvider? time = null, IEnumerable<IStepType>? extraSteps = null, bool tracking = true)
    {
        _tracking = tracking;
        Time = time ?? TimeProvider.System;
        Root = Directory.CreateTempSubdirectory("keel-pipeline-engine-").FullName;
        var db = Path.Combine(Root, "keel.db");
        TrackingStore = new SqliteTrackingStore(db);
        Store = new SqlitePipelineStore(db, Time);
        Queue = new SqliteJobQueue(db, Time);
        Leases = new SqliteServingStore(db, Time);
        DatasetStore = new SqliteDatasetStore(db, Time);
        Alerts = new SqliteAlertStore(db, Time);
        RegistryStore = new SqliteModelRegistryStore(db, Time);
        Tracking = new TrackingService(TrackingStore);
        Registry = new RegistryService(RegistryStore, TrackingStore);
        Datasets = new DatasetService(DatasetStore, new LocalArtifactStore(Path.Combine(Root, "artifacts")));
        Catalog = new StepTypeCatalog([.. BuiltInSteps.Basic(), .. extraSteps ?? []]);
        Runner = NewRunner(Store, Queue);
        Service = new PipelineService(Runner);
        Scheduler = new PipelineScheduler(Runner, DatasetStore, Alerts, RegistryStore, Queue, Time, Log.Add);
    }

    private readonly bool _tracking;

    public string Root { get; }

    public TimeProvider Time { get; }

    public SqliteTrackingStore TrackingStore { get; }

    public SqlitePipelineStore Store { get; }

    public SqliteJobQueue Queue { get; }

    public SqliteServingStore Leases { get; }

    public SqliteDatasetStore DatasetStore { get; }

    public SqliteAlertStore Alerts { get; }

    public SqliteModelRegistryStore RegistryStore { get; }

    public TrackingService Tracking { get; }

    public RegistryService Registry { get; }

    public DatasetService Datasets { get; }

    public StepTypeCatalog Catalog { get; }

    public JobSignal Signal { get; } = new();

    public PipelineRunner Runner { get; }

    public PipelineService Service { get; }

    public PipelineScheduler Scheduler { get; }

    public List<string> Log { get; } = [];

    /// <summary>Another runner over the same database (a second replica), or over another store (a wrapper).</summary>
    public PipelineRunner NewRunner(IPipelineStore store, IJobQueue queue) => new(
        store, Catalog, queue, new PipelineInputResolver(Datasets, RegistryStore, TrackingStore), Tracking,
        new PipelineOptions(Path.Combine(Root, "work"), Tracking: _tracking), Signal, Time);

    public async Task<Pipeline> ApplyAsync(string yaml)
    {
        var applied = await Service.ApplyPipelineAsync(yaml);
        return (await Store.GetPipelineAsync(applied.Pipeline!.Name!))!;
    }

    public async Task<PipelineRun> StartAsync(string pipeline, IReadOnlyDictionary<string, string>? parameters = null, string? idempotencyKey = null) =>
        (await Runner.StartAsync(pipeline, parameters, PipelineTrigger.Manual("tester"), idempotencyKey, null, CancellationToken.None)).Run;

    public async Task<PipelineRun> RunAsync(long runId) => (await Store.GetRunAsync(runId))!;

    public async Task<Dictionary<string, StepRun>> StepsAsync(long runId) =>
        (await Store.GetStepsAsync(runId)).ToDictionary(s => s.Step, StringComparer.Ordinal);

    public async Task<IReadOnlyList<PipelineEvent>> EventsAsync(long runId) => await Store.ListEventsAsync(0, runId, 10_000);

    /// <summary>
    /// Leases and runs ready step jobs one at a time until <paramref name="done"/> holds. A failed try
    /// is retried at once (no backoff). Fails when nothing is ready but the condition does not hold:
    /// the engine left the run stuck.
    /// </summary>
    public async Task PumpAsync(Func<Task<bool>> done, string worker = "pump", PipelineRunner? runner = null)
    {
        runner ??= Runner;
        for (var i = 0; i < 10_000; i++)
        {
            if (await done())
            {
                return;
            }

            var lease = await Queue.LeaseAsync(worker, [PipelineOptions.StepJobKind], TimeSpan.FromMinutes(5))
                ?? throw new InvalidOperationException($"No step job is ready but the condition does not hold. Jobs: {string.Join("; ", (await Queue.ListJobsAsync(null, null, 0, 100)).Select(j => $"{j.Id} {j.State} {j.Payload}"))}");
            await RunLeasedAsync(lease, runner);
        }

        throw new InvalidOperationException("Pumped 10,000 jobs without reaching the condition.");
    }

    /// <summary>Pumps until the run has ended.</summary>
    public async Task<PipelineRun> FinishAsync(long runId, PipelineRunner? runner = null)
    {
        await PumpAsync(async () => PipelineTransitions.IsFinal((await RunAsync(runId)).State), runner: runner);
        return await RunAsync(runId);
    }

    /// <summary>Runs one leased job as a worker would and records its outcome.</summary>
    public async Task RunLeasedAsync(JobLease lease, PipelineRunner? runner = null, CancellationToken cancellationToken = default)
    {
        string? result;
        try
        {
            result = await (runner ?? Runner).ExecuteStepAsync(lease.Job, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RefusedIsFineAsync(() => Queue.FailAsync(lease.Job.Id, lease.Token, e.Message, TimeSpan.Zero));
            return;
        }

        await RefusedIsFineAsync(() => Queue.CompleteAsync(lease.Job.Id, lease.Token, result));
    }

    /// <summary>As a worker does: an outcome the queue refuses (the lease was lost, the job cancelled) is dropped.</summary>
    private static async Task RefusedIsFineAsync(Func<Task> report)
    {
        try
        {
            await report();
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceConflict)
        {
        }
    }

    /// <summary>A real worker over the queue, as <c>keel server</c> runs in process.</summary>
    public JobWorker Worker(string id, int concurrency, TimeSpan? lease = null, PipelineRunner? runner = null) => new(
        Queue, [new PipelineStepHandler(runner ?? Runner)],
        new JobWorkerOptions(id, concurrency, lease ?? TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5)),
        null, Signal);

    public async Task<LeaseFence> LeaseAsync(string holder, TimeSpan duration) =>
        await Leases.TryAcquireAsync("pipeline-scheduler", holder, duration) ?? throw new InvalidOperationException($"{holder} could not take the scheduler lease.");

    /// <summary>Waits for a condition with a deadline (never a fixed sleep).</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    public static async Task<KeelException> RefusedAsync(Func<Task> action, ErrorCode code = ErrorCode.InvalidParameterValue)
    {
        var e = await Assert.ThrowsAsync<KeelException>(action);
        Assert.Equal(code, e.Code);
        return e;
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        Queue.Dispose();
        Leases.Dispose();
        DatasetStore.Dispose();
        Alerts.Dispose();
        RegistryStore.Dispose();
        TrackingStore.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp dir is harmless.
        }

        await Task.CompletedTask;
    }
}
