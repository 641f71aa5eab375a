using System.CommandLine;
using System.Diagnostics;
using Keel.Cli.Infrastructure;
using Keel.ML.Batch;
using Keel.ML.Batch.Distributed;
using Spectre.Console;

namespace Keel.Cli.Commands.Predict;

/// <summary>
/// <c>keel predict --model URI --input FILE [--output FILE]</c>: batch scoring of CSV, Parquet or
/// JSON with a model from the registry or a run, streamed chunk by chunk with a live row count.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var model = new Option<string>("--model", "-m") { Description = "models:/NAME/VERSION, models:/NAME@ALIAS, models:/NAME/STAGE or runs:/RUN_ID/PATH.", Required = true };
        var input = new Option<string>("--input", "-i") { Description = "Input file (.csv, .parquet, .json for one MLflow scoring request, or .jsonl) or a dataset URI (datasets:/NAME/VERSION, @ALIAS, @latest, optionally /FILE inside it).", Required = true };
        var output = new Option<string?>("--output") { Description = "Output file (same format). Default: INPUT.predictions.EXT; for a .json request, standard output." };
        var distributed = new Option<bool>("--distributed") { Description = "Split a CSV or Parquet input into parts scored by `keel worker`s (Parquet by row group, CSV by rows); the input and output paths must be the same on every worker." };
        var rowsPerPart = new Option<long?>("--rows-per-part") { Description = $"With --distributed: target rows per part (Parquet parts hold whole row groups; default one row group per part, CSV {BatchParts.DefaultCsvRowsPerPart:N0} rows)." };
        var command = new Command("predict", "Score a file with a registered or logged model.") { model, input, output, distributed, rowsPerPart };
        // No -o table|json: --output names the predictions file, and predictions keep the input's format.
        command.Add(store.TrackingUri);
        command.Add(store.DataDir);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var given = result.GetValue(input)!;
            string inputPath;
            string? defaultOutput = null;
            if (Core.Data.DatasetUri.IsDatasetUri(given))
            {
                // A dataset version is scored from its (read-only) local checkout; predictions land in the current folder.
                await using var workflow = session.DataWorkflow();
                var (local, version) = await workflow.CheckoutAsync(given, null, cancellationToken).ConfigureAwait(false);
                inputPath = local;
                defaultOutput = Path.GetFullPath($"{version.Name}-v{version.Version}.predictions{Path.GetExtension(local)}");
            }
            else
            {
                inputPath = Path.GetFullPath(given);
            }

            var format = BatchPredictor.FormatOf(inputPath);
            var requested = result.GetValue(output);
            var toStdout = requested is null && format == BatchFileFormat.Json && Path.GetExtension(inputPath).Equals(".json", StringComparison.OrdinalIgnoreCase);
            var outputPath = toStdout ? Path.Combine(Path.GetTempPath(), $"keel-predict-{Guid.NewGuid():N}.json")
                : Path.GetFullPath(requested ?? defaultOutput ?? Path.ChangeExtension(inputPath, ".predictions" + Path.GetExtension(inputPath)));

            if (result.GetValue(distributed))
            {
                return await DistributedPredict.RunAsync(session, result.GetValue(model)!, inputPath, outputPath, format, result.GetValue(rowsPerPart), Errors(), cancellationToken).ConfigureAwait(false);
            }

            if (result.GetValue(rowsPerPart) is not null)
            {
                throw Keel.Core.Errors.KeelException.InvalidParameter("--rows-per-part applies only with --distributed.");
            }

            var uri = result.GetValue(model)!;
            var loading = Stopwatch.StartNew();
            var loaded = await session.Models().LoadModelAsync(uri, cancellationToken).ConfigureAwait(false);
            var loadTime = loading.Elapsed;

            var clock = Stopwatch.StartNew();
            long rows;
            if (toStdout)
            {
                rows = await BatchPredictor.PredictFileAsync(loaded, inputPath, outputPath, format, null, cancellationToken).ConfigureAwait(false);
                await using (var stream = File.OpenRead(outputPath))
                await using (var stdout = Console.OpenStandardOutput())
                {
                    await stream.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
                }

                File.Delete(outputPath);
                return 0;
            }

            rows = await Errors().Progress()
                .Columns(new SpinnerColumn(), new TaskDescriptionColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"Scoring {Path.GetFileName(inputPath)}");
                    task.IsIndeterminate = true;
                    var progress = new Progress<long>(n => task.Description = $"Scoring {Path.GetFileName(inputPath)}: {n:N0} rows");
                    var count = await BatchPredictor.PredictFileAsync(loaded, inputPath, outputPath, format, progress, cancellationToken).ConfigureAwait(false);
                    task.StopTask();
                    return count;
                }).ConfigureAwait(false);

            var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
            AnsiConsole.MarkupLineInterpolated(
                $"Scored [bold]{rows:N0}[/] rows with [bold]{uri}[/] in {seconds:F2} s ({rows / seconds:N0} rows/s; model loaded in {loadTime.TotalMilliseconds:F0} ms).");
            AnsiConsole.MarkupLineInterpolated($"Predictions: {outputPath}");
            return 0;
        });
        return command;
    }

    // Progress goes to stderr so that stdout carries only results.
    private static IAnsiConsole Errors() => CliConsole.Error();
}
