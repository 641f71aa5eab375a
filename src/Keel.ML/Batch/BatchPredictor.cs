using Keel.Core.Errors;

namespace Keel.ML.Batch;

/// <summary>
/// Scores a file with a model and writes the input columns plus prediction columns
/// (<c>prediction</c>, and <c>probability_&lt;class&gt;</c> for classifiers). Files are streamed in
/// chunks, so memory stays flat however large the file is. This is the entry point behind
/// <c>keel predict</c>.
/// </summary>
public static class BatchPredictor
{
    /// <summary>Rows per chunk for CSV and JSON Lines.</summary>
    public const int DefaultChunkRows = 65_536;

    /// <summary>Scores <paramref name="inputPath"/> into <paramref name="outputPath"/>.</summary>
    /// <param name="model">A loaded model.</param>
    /// <param name="inputPath">Input file.</param>
    /// <param name="outputPath">Output file, overwritten.</param>
    /// <param name="format">File format; null infers it from the input extension.</param>
    /// <param name="progress">Receives the number of rows scored so far after each chunk.</param>
    /// <param name="cancellationToken">Stops between chunks.</param>
    /// <param name="chunkRows">Rows per chunk (CSV, JSON Lines); Parquet uses its row groups.</param>
    /// <returns>The number of rows scored.</returns>
    public static async Task<long> PredictFileAsync(
        IModel model,
        string inputPath,
        string outputPath,
        BatchFileFormat? format = null,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default,
        int chunkRows = DefaultChunkRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRows, 1);
        if (!File.Exists(inputPath))
        {
            throw KeelException.NotFound($"Input file '{inputPath}' does not exist.");
        }

        var resolved = format ?? FormatOf(inputPath);
        return resolved switch
        {
            BatchFileFormat.Csv => await CsvBatchFile.PredictAsync(model, inputPath, outputPath, chunkRows, progress, cancellationToken).ConfigureAwait(false),
            BatchFileFormat.Parquet => await ParquetBatchFile.PredictAsync(model, inputPath, outputPath, progress, cancellationToken).ConfigureAwait(false),
            _ => await JsonBatchFile.PredictAsync(model, inputPath, outputPath, chunkRows, progress, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>The format for a file name's extension.</summary>
    public static BatchFileFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => BatchFileFormat.Csv,
        ".parquet" or ".pq" => BatchFileFormat.Parquet,
        ".json" or ".jsonl" or ".ndjson" => BatchFileFormat.Json,
        var ext => throw KeelException.InvalidParameter($"Cannot tell the format of '{path}' from '{ext}'; use csv, parquet or json."),
    };
}
