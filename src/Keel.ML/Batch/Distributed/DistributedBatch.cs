using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Jobs;

namespace Keel.ML.Batch.Distributed;

/// <summary>
/// The coordinator behind <c>keel predict --distributed</c>: splits the input into parts, enqueues one
/// <c>batch-score</c> job per part, waits while workers score them (a part whose worker dies is
/// delivered again by the queue), then assembles the parts in input order. The parts go to
/// <c>OUTPUT.parts/</c>, removed once the output is written.
/// </summary>
public static class DistributedBatch
{
    /// <summary>Attempts each part gets before the batch fails.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Scores <paramref name="inputPath"/> into <paramref name="outputPath"/> over the workers of <paramref name="queue"/>; returns the rows scored.</summary>
    /// <param name="queue">The queue the workers lease from.</param>
    /// <param name="modelUri">The model, already resolved to an immutable version.</param>
    /// <param name="inputPath">The input, absolute and visible to every worker at this path.</param>
    /// <param name="outputPath">The output, absolute; its directory must be visible to every worker.</param>
    /// <param name="format">CSV or Parquet.</param>
    /// <param name="rowsPerPart">Target rows per part (see <see cref="BatchParts.PlanAsync"/>).</param>
    /// <param name="progress">Told after every poll.</param>
    /// <param name="pollInterval">Time between looks at the queue (default 250 ms).</param>
    /// <param name="cancellationToken">Stops waiting; the batch's unfinished jobs are cancelled.</param>
    /// <exception cref="KeelException">INVALID_STATE when a part failed on its last attempt (or was cancelled), with its error.</exception>
    public static async Task<long> RunAsync(
        IJobQueue queue, string modelUri, string inputPath, string outputPath, BatchFileFormat format, long? rowsPerPart = null,
        IProgress<DistributedProgress>? progress = null, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var parts = await BatchParts.PlanAsync(inputPath, format, rowsPerPart, cancellationToken).ConfigureAwait(false);
        var totalRows = parts.Sum(p => p.Rows);
        var partsDir = outputPath + ".parts";
        Directory.CreateDirectory(partsDir);
        var extension = Path.GetExtension(outputPath);
        var batch = Guid.NewGuid().ToString("N");
        var paths = parts.Select(p => Path.Combine(partsDir, $"part-{p.Index:D5}{extension}")).ToList();

        var jobs = new List<Job>(parts.Count);
        foreach (var part in parts)
        {
            var payload = JsonSerializer.Serialize(new BatchScoreJob(modelUri, inputPath, BatchParts.NameOf(format), part, paths[part.Index]), BatchJobJson.Default.BatchScoreJob);
            jobs.Add(await queue.EnqueueAsync(new NewJob(BatchScoreJob.Kind, payload, $"{BatchScoreJob.Kind}/{batch}/{part.Index}", MaxAttempts), cancellationToken).ConfigureAwait(false));
        }

        try
        {
            await WaitAsync(queue, jobs, parts, totalRows, progress, pollInterval ?? TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or KeelException)
        {
            await CancelRestAsync(queue, jobs).ConfigureAwait(false);
            throw;
        }

        await BatchParts.AssembleAsync(format, paths, outputPath, cancellationToken).ConfigureAwait(false);
        Directory.Delete(partsDir, recursive: true);
        return totalRows;
    }

    private static async Task WaitAsync(IJobQueue queue, List<Job> jobs, IReadOnlyList<BatchPart> parts, long totalRows, IProgress<DistributedProgress>? progress, TimeSpan poll, CancellationToken ct)
    {
        var done = new bool[jobs.Count];
        var retried = new bool[jobs.Count];
        while (true)
        {
            var running = 0;
            for (var i = 0; i < jobs.Count; i++)
            {
                if (done[i])
                {
                    continue;
                }

                var job = await queue.GetJobAsync(jobs[i].Id, ct).ConfigureAwait(false)
                    ?? throw new KeelException(ErrorCode.InvalidState, $"Job {jobs[i].Id} (part {i}) is gone from the queue.");
                retried[i] |= job.Attempts > 1;
                switch (job.State)
                {
                    case JobState.Succeeded:
                        done[i] = true;
                        break;
                    case JobState.Dead or JobState.Cancelled:
                        throw new KeelException(ErrorCode.InvalidState,
                            $"Part {i} of {jobs.Count} (job {job.Id}) is {JobStateTransitions.Name(job.State)} after {job.Attempts} attempt(s): {job.LastError ?? "no error recorded"}");
                    case JobState.Leased:
                        running++;
                        break;
                }
            }

            var partsDone = done.Count(d => d);
            progress?.Report(new DistributedProgress(partsDone, jobs.Count, parts.Where((_, i) => done[i]).Sum(p => p.Rows), totalRows, running, retried.Count(r => r)));
            if (partsDone == jobs.Count)
            {
                return;
            }

            await Task.Delay(poll, ct).ConfigureAwait(false);
        }
    }

    private static async Task CancelRestAsync(IJobQueue queue, List<Job> jobs)
    {
        foreach (var job in jobs)
        {
            try
            {
                await queue.CancelAsync(job.Id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (KeelException)
            {
                // Finished already, or the queue is unreachable: nothing more to stop.
            }
        }
    }
}
