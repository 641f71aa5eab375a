using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Keel.Application.Jobs;
using Keel.Application.Monitoring;
using Keel.Hosting;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Keel.ML.Batch.Distributed;
using Keel.ML.Repository;

namespace Keel.Cli.Commands.Worker;

/// <summary>
/// <c>keel worker</c>: leases queued jobs of the kinds it knows and runs them until stopped. Ctrl-C or
/// SIGTERM stops leasing and lets running jobs finish for up to <c>--drain-seconds</c>, then releases
/// them to other workers; a second signal releases them at once.
/// </summary>
internal static class WorkerCommand
{
    /// <summary>Every kind a worker can run, by the handler that runs it.</summary>
    public static readonly string[] KnownKinds = [BatchScoreJob.Kind, MonitoringJob.BucketKind, MonitoringJob.QualityKind, Keel.Application.Pipelines.PipelineOptions.StepJobKind, Keel.Application.Features.MaterializeJobHandler.Kind];

    public static Command Create()
    {
        var store = new StoreOptions();
        var kinds = new Option<string?>("--kinds") { Description = $"Comma-separated job kinds to run. Default: all known ({string.Join(", ", KnownKinds)})." };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Jobs run at the same time.", DefaultValueFactory = _ => 1 };
        var leaseSeconds = new Option<double>("--lease-seconds") { Description = "Lease length; heartbeats renew it every third. A dead worker's job is delivered again after this.", DefaultValueFactory = _ => 60 };
        var drainSeconds = new Option<double>("--drain-seconds") { Description = "On Ctrl-C or SIGTERM, how long running jobs may finish before they are released.", DefaultValueFactory = _ => 30 };
        var pollSeconds = new Option<double>("--poll-seconds") { Description = "Wait after finding no ready job.", DefaultValueFactory = _ => 1 };
        var workerId = new Option<string?>("--worker-id") { Description = "Name recorded on the jobs this worker leases. Default: HOST-PID." };
        var predictionLog = new Option<string?>(PredictionLogBackend.Option) { Description = "Where the servers write the prediction log (as keel server's option), for monitoring jobs: a directory, file:///..., s3://bucket/prefix. Default: the data directory's." };
        var onlineStore = new Option<string?>(OnlineStoreBackend.Option) { Description = "The online feature store materialization jobs write (as keel server's option): sqlite:///path or redis://host:port[/db]. Default: KEEL_ONLINE_STORE, else the data directory's online.db." };
        var command = new Command("worker", "Run queued jobs (batch scoring, monitoring, pipeline steps, materialization) from a server or PostgreSQL.")
        {
            kinds, concurrency, leaseSeconds, drainSeconds, pollSeconds, workerId, predictionLog, onlineStore,
        };
        command.Add(store.TrackingUri);
        command.Add(store.DataDir);
        command.SetAsyncAction(async (result, _) =>
        {
            var chosen = Kinds(result.GetValue(kinds));
            var slots = result.GetValue(concurrency);
            if (slots is < 1 or > 256)
            {
                throw KeelException.InvalidParameter($"Invalid --concurrency {slots}: it must be between 1 and 256.");
            }

            var options = new JobWorkerOptions(
                result.GetValue(workerId) is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Environment.ProcessId}",
                slots,
                Seconds(result.GetValue(leaseSeconds), "--lease-seconds", 1, 3600),
                Seconds(result.GetValue(pollSeconds), "--poll-seconds", 0.01, 60),
                Seconds(result.GetValue(drainSeconds), "--drain-seconds", 0, 3600));

            await using var session = await store.OpenAsync(result).ConfigureAwait(false);
            var handlers = new List<IJobHandler> { new BatchScoreHandler(session.Models().LoadModelAsync) };
            if (session.MonitoringService() is { } monitoring)
            {
                var log = PredictionLogBackend.Open(result.GetValue(predictionLog), session.DataDir, session.Artifacts, PredictionLogBackend.ArtifactsDestination).OpenReader();
                handlers.Add(new MonitoringBucketHandler(monitoring, log));
                handlers.Add(new MonitoringQualityHandler(monitoring));
            }

            // Pipeline steps: the runner re-reads each run from the store, so any worker can take any step.
            handlers.Add(new Keel.Application.Pipelines.PipelineStepHandler(Keel.Cli.Commands.Pipelines.PipelineSession.CreateRunner(session)));

            // Feature materialization: each view under its lease, so two workers never write one view at once.
            await using var online = chosen.Contains(Keel.Application.Features.MaterializeJobHandler.Kind) && session.Backend is not null
                ? await OnlineStoreBackend.OpenAsync(result.GetValue(onlineStore), session.DataDir).ConfigureAwait(false)
                : null;
            if (online is not null && session.Backend is { } backend)
            {
                handlers.Add(new Keel.Application.Features.MaterializeJobHandler(() => new Keel.Application.Features.Materializer(
                    FeatureHosting.Registry(backend), online, FeatureHosting.RowSource(), null, backend.Serving as Keel.Core.Coordination.ILeaseStore, options.WorkerId)));
            }

            using var worker = new JobWorker(session.Jobs, handlers.Where(h => chosen.Contains(h.Kind)), options, Log);

            using var stopping = new CancellationTokenSource();
            using var stopNow = new CancellationTokenSource();
            var signals = 0;
            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                if (Interlocked.Increment(ref signals) == 1)
                {
                    Log($"stopping: no new jobs; running ones get {options.Drain.TotalSeconds:0.#} s to finish (signal again to release them now)");
                    stopping.Cancel();
                }
                else
                {
                    stopNow.Cancel();
                }
            }

            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            Log($"worker {options.WorkerId} on {session.Description}: kinds {string.Join(", ", worker.Kinds)}, concurrency {options.Concurrency}, lease {options.Lease.TotalSeconds:0.#} s");
            // A second signal shortens the drain to nothing: the worker releases what it holds and exits.
            await using var drainNow = stopNow.Token.Register(() => worker.DrainNow()).ConfigureAwait(false);
            await worker.RunAsync(stopping.Token).ConfigureAwait(false);
            Log($"worker {options.WorkerId} stopped after {worker.Finished} job(s)");
            return 0;
        });
        return command;
    }

    private static HashSet<string> Kinds(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [.. KnownKinds];
        }

        var kinds = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = kinds.Except(KnownKinds).ToList();
        return unknown.Count == 0
            ? kinds
            : throw KeelException.InvalidParameter($"Invalid --kinds: unknown kind(s) {string.Join(", ", unknown)}; known: {string.Join(", ", KnownKinds)}.");
    }

    private static TimeSpan Seconds(double value, string option, double min, double max) =>
        value >= min && value <= max
            ? TimeSpan.FromSeconds(value)
            : throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid {option} {value}: it must be between {min} and {max}."));

    // One line per event on stderr, timestamped, so a supervisor's log shows what each worker did.
    private static void Log(string message) =>
        Console.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {message}");
}
