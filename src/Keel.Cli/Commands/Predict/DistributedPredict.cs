using System.Diagnostics;
using System.Globalization;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;
using Keel.Core.Registry;
using Keel.ML.Batch;
using Keel.ML.Batch.Distributed;
using Spectre.Console;

namespace Keel.Cli.Commands.Predict;

/// <summary>
/// <c>keel predict --distributed</c>: the model URI is resolved once to a version, the input split into
/// parts queued for <c>keel worker</c>s, and the output assembled in input order while the command
/// shows the parts and rows done.
/// </summary>
internal static class DistributedPredict
{
    public static async Task<int> RunAsync(StoreSession session, string modelUri, string inputPath, string outputPath, BatchFileFormat format, long? rowsPerPart, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (format is not (BatchFileFormat.Csv or BatchFileFormat.Parquet))
        {
            throw KeelException.InvalidParameter($"--distributed splits CSV and Parquet files; '{Path.GetFileName(inputPath)}' is {format}. Score it without --distributed.");
        }

        if (!session.QueueIsShared)
        {
            throw KeelException.InvalidParameter(
                "--distributed needs a queue that workers can reach: give --tracking-uri http://SERVER (where `keel worker --tracking-uri` runs too) or a postgresql:// backend.");
        }

        // Resolve once: an alias or stage could move while the parts are scored; every part must use the same version.
        var resolved = await ModelUriResolver.ResolveAsync(session.RegistryStore, session.Store, modelUri, cancellationToken).ConfigureAwait(false);
        var pinned = resolved.Version is { } version
            ? string.Create(CultureInfo.InvariantCulture, $"models:/{version.Name}/{version.Version}")
            : modelUri;

        var clock = Stopwatch.StartNew();
        var rows = await console.Progress()
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var name = Path.GetFileName(inputPath);
                var task = context.AddTask($"Queueing {name}");
                task.IsIndeterminate = true;
                var progress = new Progress<DistributedProgress>(p => task.Description =
                    $"Scoring {name} on workers: {p.PartsDone}/{p.Parts} parts, {p.RowsDone:N0}/{p.Rows:N0} rows, {p.Running} running" + (p.Retried > 0 ? $", {p.Retried} retried" : string.Empty));
                var count = await DistributedBatch.RunAsync(session.Jobs, pinned, inputPath, outputPath, format, rowsPerPart, progress, null, cancellationToken).ConfigureAwait(false);
                task.StopTask();
                return count;
            }).ConfigureAwait(false);

        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
        AnsiConsole.MarkupLineInterpolated($"Scored [bold]{rows:N0}[/] rows with [bold]{pinned}[/] on workers in {seconds:F2} s ({rows / seconds:N0} rows/s).");
        AnsiConsole.MarkupLineInterpolated($"Predictions: {outputPath}");
        return 0;
    }
}
