using Keel.Core.Errors;
using Parquet;
using Parquet.Schema;

namespace Keel.ML.Batch.Distributed;

/// <summary>
/// Splits a batch into parts, scores one part, and assembles the parts' outputs in input order.
/// Parquet splits by row group (each output row group is the scored input row group, as a
/// single-process run writes it); CSV splits by data rows and its parts concatenate, the first
/// carrying the header. Either way the assembled file equals what one process would have written.
/// </summary>
public static class BatchParts
{
    /// <summary>Data rows per CSV part when the caller does not say.</summary>
    public const long DefaultCsvRowsPerPart = 100_000;

    /// <summary>The parts of <paramref name="inputPath"/>.</summary>
    /// <param name="inputPath">A CSV or Parquet file.</param>
    /// <param name="format">Its format.</param>
    /// <param name="rowsPerPart">Target rows per part; Parquet parts hold whole row groups (one group per part when null), CSV parts <see cref="DefaultCsvRowsPerPart"/> rows when null.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    public static async Task<IReadOnlyList<BatchPart>> PlanAsync(string inputPath, BatchFileFormat format, long? rowsPerPart = null, CancellationToken cancellationToken = default)
    {
        if (rowsPerPart is < 1)
        {
            throw KeelException.InvalidParameter($"Invalid rows per part {rowsPerPart}: it must be at least 1.");
        }

        if (!File.Exists(inputPath))
        {
            throw KeelException.NotFound($"Input file '{inputPath}' does not exist.");
        }

        var parts = new List<BatchPart>();
        switch (format)
        {
            case BatchFileFormat.Parquet:
                await using (var stream = File.OpenRead(inputPath))
                await using (var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    var target = rowsPerPart ?? 1;
                    long first = 0, rows = 0;
                    for (var g = 0; g < reader.RowGroupCount; g++)
                    {
                        rows += reader.RowGroups[g].RowCount;
                        if (rows >= target || g == reader.RowGroupCount - 1)
                        {
                            parts.Add(new BatchPart(parts.Count, first, g + 1 - first, rows));
                            first = g + 1;
                            rows = 0;
                        }
                    }
                }

                break;
            case BatchFileFormat.Csv:
                var total = await CsvBatchFile.CountRowsAsync(inputPath, cancellationToken).ConfigureAwait(false);
                var size = rowsPerPart ?? DefaultCsvRowsPerPart;
                for (long start = 0; start < total; start += size)
                {
                    var count = Math.Min(size, total - start);
                    parts.Add(new BatchPart(parts.Count, start, count, count));
                }

                break;
            default:
                throw KeelException.InvalidParameter($"Distributed scoring splits CSV and Parquet files; '{Path.GetFileName(inputPath)}' is {format}.");
        }

        // An input with no rows is still one part: scoring it writes the empty output with its columns.
        return parts.Count > 0 ? parts : [new BatchPart(0, 0, 0, 0)];
    }

    /// <summary>Scores one part of the job's input into <paramref name="outputPath"/>; returns the rows scored.</summary>
    /// <param name="model">The loaded model.</param>
    /// <param name="job">The part to score.</param>
    /// <param name="outputPath">Where its output goes (overwritten).</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    public static Task<long> ScoreAsync(IModel model, BatchScoreJob job, string outputPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(job);
        return FormatOf(job.Format) switch
        {
            BatchFileFormat.Parquet => ParquetBatchFile.PredictAsync(model, job.Input, outputPath, null, cancellationToken, checked((int)job.Part.First), checked((int)job.Part.Count)),
            _ => CsvBatchFile.PredictAsync(model, job.Input, outputPath, BatchPredictor.DefaultChunkRows, null, cancellationToken, job.Part.First, job.Part.Count, writeHeader: job.Part.Index == 0),
        };
    }

    /// <summary>Writes the parts' outputs, in order, as one file.</summary>
    /// <param name="format">The format of the parts and the output.</param>
    /// <param name="partPaths">The scored parts, in input order.</param>
    /// <param name="outputPath">The output file (overwritten).</param>
    /// <param name="cancellationToken">Stops between parts.</param>
    public static async Task AssembleAsync(BatchFileFormat format, IReadOnlyList<string> partPaths, string outputPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partPaths);
        if (format == BatchFileFormat.Csv)
        {
            await using var output = File.Create(outputPath);
            foreach (var part in partPaths)
            {
                await using var input = File.OpenRead(part);
                await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await AssembleParquetAsync(partPaths, outputPath, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wire name of a format in a job payload.</summary>
    /// <param name="format">CSV or Parquet.</param>
    public static string NameOf(BatchFileFormat format) => format switch
    {
        BatchFileFormat.Csv => "csv",
        BatchFileFormat.Parquet => "parquet",
        _ => throw KeelException.InvalidParameter($"Distributed scoring splits CSV and Parquet files, not {format}."),
    };

    internal static BatchFileFormat FormatOf(string name) => name switch
    {
        "csv" => BatchFileFormat.Csv,
        "parquet" => BatchFileFormat.Parquet,
        _ => throw KeelException.InvalidParameter($"Invalid format '{name}' in a batch-score job: expected csv or parquet."),
    };

    private static async Task AssembleParquetAsync(IReadOnlyList<string> partPaths, string outputPath, CancellationToken ct)
    {
        await using var output = File.Create(outputPath);
        ParquetWriter? writer = null;
        try
        {
            foreach (var part in partPaths)
            {
                await using var input = File.OpenRead(part);
                await using var reader = await ParquetReader.CreateAsync(input, cancellationToken: ct).ConfigureAwait(false);
                var fields = reader.Schema.GetDataFields();
                writer ??= await ParquetWriter.CreateAsync(new ParquetSchema(fields), output, cancellationToken: ct).ConfigureAwait(false);
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    var (_, arrays) = await ParquetBatchFile.ReadGroupAsync(reader, fields, g, ct).ConfigureAwait(false);
                    using var group = writer.CreateRowGroup();
                    for (var i = 0; i < fields.Length; i++)
                    {
                        await ParquetColumns.WriteAsync(group, fields[i], arrays[i], ct).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
