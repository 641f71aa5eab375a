using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Jobs;

namespace Keel.ML.Batch.Distributed;

/// <summary>
/// Runs <c>batch-score</c> jobs in <c>keel worker</c>: loads the job's model (once per worker), scores
/// its part into a temporary file beside the part's output and renames it into place, so a worker
/// killed half way leaves no part behind and a job delivered again simply writes the part again.
/// </summary>
public sealed class BatchScoreHandler : IJobHandler
{
    private readonly Func<string, CancellationToken, Task<IModel>> _loadModel;

    /// <param name="loadModel">Loads a model by URI (a <see cref="Repository.ModelRepository"/> caches it across jobs).</param>
    public BatchScoreHandler(Func<string, CancellationToken, Task<IModel>> loadModel) =>
        _loadModel = loadModel ?? throw new ArgumentNullException(nameof(loadModel));

    /// <inheritdoc/>
    public string Kind => BatchScoreJob.Kind;

    /// <inheritdoc/>
    public async Task<string?> RunAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var work = Parse(job.Payload);
        var model = await _loadModel(work.ModelUri, cancellationToken).ConfigureAwait(false);
        var directory = Path.GetDirectoryName(work.Output)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(work.Output)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var rows = await BatchParts.ScoreAsync(model, work, temporary, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, work.Output, overwrite: true);
            return JsonSerializer.Serialize(new BatchPartResult(rows), BatchJobJson.Default.BatchPartResult);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    internal static BatchScoreJob Parse(string payload)
    {
        try
        {
            var job = JsonSerializer.Deserialize(payload, BatchJobJson.Default.BatchScoreJob);
            return job is { ModelUri: not null, Input: not null, Format: not null, Part: not null, Output: not null }
                ? job
                : throw KeelException.InvalidParameter("A batch-score payload needs model_uri, input, format, part and output.");
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter($"A batch-score payload is not valid: {e.Message}");
        }
    }
}
