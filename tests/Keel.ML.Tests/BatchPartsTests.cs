using Keel.ML.Batch;
using Keel.ML.Batch.Distributed;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace Keel.ML.Tests;

/// <summary>Splitting a batch into parts and assembling the scored parts gives exactly the single-process output.</summary>
public sealed class BatchPartsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Csv_parts_skip_blank_lines_keep_multiline_fields_and_concatenate_to_the_single_output()
    {
        using var model = ModelLoader.Load(OnnxModelTests.WriteRegressor(_dir.File("reg")));
        var input = _dir.File("in.csv");
        var lines = new List<string> { "id,a,b,c,note" };
        for (var i = 0; i < 1_000; i++)
        {
            lines.Add(FormattableString.Invariant($"{i},{i * 0.5},{i % 7},{-i * 0.25},\"line {i}\nsecond line\""));
            if (i % 97 == 0)
            {
                lines.Add(string.Empty);
            }
        }

        await File.WriteAllLinesAsync(input, lines);
        var single = _dir.File("single.csv");
        await BatchPredictor.PredictFileAsync(model, input, single, chunkRows: 300);

        var parts = await BatchParts.PlanAsync(input, BatchFileFormat.Csv, rowsPerPart: 333);
        Assert.Equal([333L, 333L, 333L, 1L], parts.Select(p => p.Rows));
        Assert.Equal([0L, 333L, 666L, 999L], parts.Select(p => p.First));
        var paths = await ScorePartsAsync(model, input, "csv", parts, ".csv");
        var assembled = _dir.File("assembled.csv");
        await BatchParts.AssembleAsync(BatchFileFormat.Csv, paths, assembled);
        Assert.Equal(await File.ReadAllBytesAsync(single), await File.ReadAllBytesAsync(assembled));
    }

    [Fact]
    public async Task Parquet_parts_hold_whole_row_groups_and_assemble_to_the_single_output()
    {
        using var model = ModelLoader.Load(OnnxModelTests.WriteRegressor(_dir.File("reg")));
        var input = _dir.File("in.parquet");
        int[] groupSizes = [500, 700, 100, 900, 300];
        var fields = new DataField[] { new DataField<long>("id"), new DataField<double>("a"), new DataField<double>("b"), new DataField<double>("c") };
        await using (var stream = File.Create(input))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
        {
            var start = 0;
            foreach (var size in groupSizes)
            {
                var ids = Enumerable.Range(start, size).ToArray();
                start += size;
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(fields[0], (ReadOnlyMemory<long>)ids.Select(i => (long)i).ToArray());
                await group.WriteAsync(fields[1], (ReadOnlyMemory<double>)ids.Select(i => i * 0.5).ToArray());
                await group.WriteAsync(fields[2], (ReadOnlyMemory<double>)ids.Select(i => (double)(i % 7)).ToArray());
                await group.WriteAsync(fields[3], (ReadOnlyMemory<double>)ids.Select(i => -i * 0.25).ToArray());
            }
        }

        Assert.Equal(groupSizes.Select(s => (long)s), (await BatchParts.PlanAsync(input, BatchFileFormat.Parquet)).Select(p => p.Rows));
        var parts = await BatchParts.PlanAsync(input, BatchFileFormat.Parquet, rowsPerPart: 1_000);
        Assert.Equal([(0L, 2L, 1200L), (2L, 2L, 1000L), (4L, 1L, 300L)], parts.Select(p => (p.First, p.Count, p.Rows)));

        var single = _dir.File("single.parquet");
        await BatchPredictor.PredictFileAsync(model, input, single);
        var paths = await ScorePartsAsync(model, input, "parquet", parts, ".parquet");
        var assembled = _dir.File("assembled.parquet");
        await BatchParts.AssembleAsync(BatchFileFormat.Parquet, paths, assembled);

        await using var expected = await ParquetReader.CreateAsync(single);
        await using var actual = await ParquetReader.CreateAsync(assembled);
        Assert.Equal(groupSizes.Length, actual.RowGroupCount);
        Assert.Equal(expected.Schema.GetDataFields().Select(f => f.Name), actual.Schema.GetDataFields().Select(f => f.Name));
        for (var g = 0; g < groupSizes.Length; g++)
        {
            using var left = expected.OpenRowGroupReader(g);
            using var right = actual.OpenRowGroupReader(g);
            var ids = (new long[groupSizes[g]], new long[groupSizes[g]]);
            var predictions = (new float[groupSizes[g]], new float[groupSizes[g]]);
            await left.ReadAsync(expected.Schema.GetDataFields()[0], ids.Item1.AsMemory());
            await right.ReadAsync(actual.Schema.GetDataFields()[0], ids.Item2.AsMemory());
            await left.ReadAsync(expected.Schema.GetDataFields()[4], predictions.Item1.AsMemory());
            await right.ReadAsync(actual.Schema.GetDataFields()[4], predictions.Item2.AsMemory());
            Assert.Equal(ids.Item1, ids.Item2);
            Assert.Equal(predictions.Item1, predictions.Item2);
        }
    }

    [Fact]
    public async Task An_input_without_rows_is_one_empty_part_and_json_is_refused()
    {
        var input = _dir.File("empty.csv");
        await File.WriteAllTextAsync(input, "a,b,c\n");
        var part = Assert.Single(await BatchParts.PlanAsync(input, BatchFileFormat.Csv));
        Assert.Equal(new BatchPart(0, 0, 0, 0), part);

        var json = _dir.File("in.jsonl");
        await File.WriteAllTextAsync(json, "{}\n");
        var e = await Assert.ThrowsAsync<Keel.Core.Errors.KeelException>(() => BatchParts.PlanAsync(json, BatchFileFormat.Json));
        Assert.Equal(Keel.Core.Errors.ErrorCode.InvalidParameterValue, e.Code);
    }

    private async Task<List<string>> ScorePartsAsync(IModel model, string input, string format, IReadOnlyList<BatchPart> parts, string extension)
    {
        var paths = new List<string>();
        // Scored out of order, as workers would: the assembly restores the input order.
        foreach (var part in parts.Reverse())
        {
            var path = _dir.File($"part-{part.Index}{extension}");
            await BatchParts.ScoreAsync(model, new BatchScoreJob("models:/m/1", input, format, part, path), path);
            paths.Add(path);
        }

        paths.Reverse();
        return paths;
    }
}
