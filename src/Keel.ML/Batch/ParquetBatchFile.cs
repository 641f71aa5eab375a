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
    // firstGroup and groupCount pick a run of row groups (a part of a distributed batch); by default the whole file.
    public static async Task<long> PredictAsync(IModel model, string inputPath, string outputPath, IProgress<long>? progress, CancellationToken ct, int firstGroup = 0, int? groupCount = null)
    {
        await using var input = File.OpenRead(inputPath);
        await using var reader = await ParquetReader.CreateAsync(input, cancellationToken: ct).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        if (fields.Any(f => f.IsArray))
        {
            throw KeelException.InvalidParameter("Keel's batch prediction reads flat Parquet files; nested or repeated columns are not supported.");
        }

        var end = groupCount is { } count ? firstGroup + count : reader.RowGroupCount;
        if (firstGroup < 0 || end > reader.RowGroupCount || end < firstGroup)
        {
            throw KeelException.InvalidParameter($"Row groups {firstGroup}..{end - 1} are not in '{inputPath}', which has {reader.RowGroupCount}.");
        }

        await using var output = File.Create(outputPath);
        ParquetWriter? writer = null;
        DataField[]? outFields = null;
        long total = 0;
        Task pendingWrite = Task.CompletedTask;
        Task<(int Rows, Array[] Arrays)>? nextRead = null;
        try
        {
            // A three-stage pipeline over row groups: while group g is scored (on all cores), group
            // g+1 is read and decoded and group g-1 is encoded and written. Decoding and encoding are
            // single-threaded in Parquet.Net, so overlapping them with scoring is where the time is.
            nextRead = firstGroup < end ? ReadGroupAsync(reader, fields, firstGroup, ct) : null;
            for (var g = firstGroup; g < end; g++)
            {
                ct.ThrowIfCancellationRequested();
                var (rows, arrays) = await nextRead!.ConfigureAwait(false);
                nextRead = g + 1 < end ? ReadGroupAsync(reader, fields, g + 1, ct) : null;

                var batch = new ColumnBatch(fields.Select((f, i) => ParquetColumns.ToBatchColumn(f, arrays[i])));
                var predictions = model.Predict(batch).ToTableColumns();
                await pendingWrite.ConfigureAwait(false);

                // The output schema depends on the predictions (e.g. one probability column per class), so the writer starts after the first group.
                if (writer is null)
                {
                    outFields = [.. fields, .. predictions.Select(ParquetColumns.FieldFor)];
                    writer = await ParquetWriter.CreateAsync(new ParquetSchema(outFields), output, cancellationToken: ct).ConfigureAwait(false);
                }

                pendingWrite = WriteGroupAsync(writer, outFields!, arrays, predictions.Select(p => p.Data).ToArray(), ct);
                total += rows;
                progress?.Report(total);
            }

            await pendingWrite.ConfigureAwait(false);
            if (writer is null)
            {
                // An empty file: keep its schema so downstream readers still see the columns.
                writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), output, cancellationToken: ct).ConfigureAwait(false);
            }
        }
        finally
        {
            // On failure, let the stages in flight finish before their reader and writer go away.
            await Quietly(pendingWrite).ConfigureAwait(false);
            await Quietly(nextRead).ConfigureAwait(false);
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }

        return total;
    }

    private static async Task Quietly(Task? task)
    {
        if (task is null)
        {
            return;
        }

        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception) when (task.IsFaulted || task.IsCanceled)
        {
            // Already failing for another reason, which is the one to report.
        }
    }

    internal static async Task<(int Rows, Array[] Arrays)> ReadGroupAsync(ParquetReader reader, DataField[] fields, int index, CancellationToken ct)
    {
        await Task.Yield();
        using var group = reader.OpenRowGroupReader(index);
        var rows = checked((int)group.RowCount);
        var arrays = new Array[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            arrays[i] = await ParquetColumns.ReadAsync(group, fields[i], rows, ct).ConfigureAwait(false);
        }

        return (rows, arrays);
    }

    private static async Task WriteGroupAsync(ParquetWriter writer, DataField[] outFields, Array[] inputs, Array[] predictions, CancellationToken ct)
    {
        await Task.Yield();
        using var rowGroup = writer.CreateRowGroup();
        for (var i = 0; i < inputs.Length; i++)
        {
            await ParquetColumns.WriteAsync(rowGroup, outFields[i], inputs[i], ct).ConfigureAwait(false);
        }

        for (var p = 0; p < predictions.Length; p++)
        {
            await ParquetColumns.WriteAsync(rowGroup, outFields[inputs.Length + p], predictions[p], ct).ConfigureAwait(false);
        }
    }
}
