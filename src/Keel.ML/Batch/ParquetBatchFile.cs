using Keel.Core.Errors;
using Keel.ML.Data;
using Parquet;
using Parquet.Schema;

namespace Keel.ML.Batch;

/// <summary>
/// Parquet in, Parquet out, one row group at a time: each input row group becomes an output row
/// group with the input columns copied and the prediction columns added, so memory is bounded by
/// the row group size, not the file size.
/// </summary>
internal static class ParquetBatchFile
{
    public static async Task<long> PredictAsync(IModel model, string inputPath, string outputPath, IProgress<long>? progress, CancellationToken ct)
    {
        await using var input = File.OpenRead(inputPath);
        await using var reader = await ParquetReader.CreateAsync(input, cancellationToken: ct).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        if (fields.Any(f => f.IsArray))
        {
            throw KeelException.InvalidParameter("Keel's batch prediction reads flat Parquet files; nested or repeated columns are not supported.");
        }

        await using var output = File.Create(outputPath);
        ParquetWriter? writer = null;
        DataField[]? outFields = null;
        long total = 0;
        try
        {
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                ct.ThrowIfCancellationRequested();
                using var group = reader.OpenRowGroupReader(g);
                var rows = checked((int)group.RowCount);
                var arrays = new Array[fields.Length];
                for (var i = 0; i < fields.Length; i++)
                {
                    arrays[i] = await ParquetColumns.ReadAsync(group, fields[i], rows, ct).ConfigureAwait(false);
                }

                var batch = new ColumnBatch(fields.Select((f, i) => ParquetColumns.ToBatchColumn(f, arrays[i])));
                var predictions = model.Predict(batch).ToTableColumns();

                // The output schema depends on the predictions (e.g. one probability column per class), so the writer starts after the first group.
                if (writer is null)
                {
                    outFields = [.. fields, .. predictions.Select(ParquetColumns.FieldFor)];
                    writer = await ParquetWriter.CreateAsync(new ParquetSchema(outFields), output, cancellationToken: ct).ConfigureAwait(false);
                }

                using var rowGroup = writer.CreateRowGroup();
                for (var i = 0; i < fields.Length; i++)
                {
                    await ParquetColumns.WriteAsync(rowGroup, outFields![i], arrays[i], ct).ConfigureAwait(false);
                }

                for (var p = 0; p < predictions.Count; p++)
                {
                    await ParquetColumns.WriteAsync(rowGroup, outFields![fields.Length + p], predictions[p].Data, ct).ConfigureAwait(false);
                }

                total += rows;
                progress?.Report(total);
            }

            if (writer is null)
            {
                // An empty file: keep its schema so downstream readers still see the columns.
                writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), output, cancellationToken: ct).ConfigureAwait(false);
            }
        }
        finally
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }

        return total;
    }
}
