using System.Globalization;
using Keel.Data.Tables;
using Keel.ML;
using Keel.ML.Batch;

namespace Keel.Pipelines.Steps;

/// <summary>
/// Scores a table (one file or a version's folder of files) with <see cref="BatchPredictor"/>, as
/// <c>keel predict</c> does: each file into a part of the same format under a folder, the input
/// columns kept and the prediction columns appended, rows in file order.
/// </summary>
internal static class StepScoring
{
    /// <summary>Scores <paramref name="table"/> into <paramref name="folder"/> (part-00000.EXT, …); returns the rows scored.</summary>
    public static async Task<long> ScoreAsync(IModel model, string table, string folder, CancellationToken cancellationToken)
    {
        var source = TableSource.Open(table);
        long rows = 0;
        for (var i = 0; i < source.Files.Count; i++)
        {
            var file = source.Files[i];
            var extension = source.Format switch
            {
                TableFormat.Parquet => ".parquet",
                TableFormat.JsonLines => ".jsonl",
                _ => ".csv",
            };
            var part = Path.Combine(folder, "part-" + i.ToString("D5", CultureInfo.InvariantCulture) + extension);
            var format = source.Format switch
            {
                TableFormat.Parquet => BatchFileFormat.Parquet,
                TableFormat.JsonLines => BatchFileFormat.Json,
                _ => BatchFileFormat.Csv,
            };
            rows += await BatchPredictor.PredictFileAsync(model, file, part, format, null, cancellationToken).ConfigureAwait(false);
        }

        return rows;
    }
}
