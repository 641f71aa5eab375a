using System.Globalization;
using System.Text.Json;
using Keel.ML.Batch;
using Microsoft.ML;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace Keel.ML.Tests;

public sealed class BatchPredictorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (double A, double B, double C) RowValues(int i) => (i * 0.5, i % 7, -i * 0.25);

    [Fact]
    public async Task Csv_streams_in_chunks_and_keeps_input_columns()
    {
        using var model = ModelLoader.Load(OnnxModelTests.WriteRegressor(_dir.File("reg")));
        var input = _dir.File("in.csv");
        var rows = 2_500;
        await using (var w = new StreamWriter(input))
        {
            await w.WriteLineAsync("id,a,b,c,note");
            for (var i = 0; i < rows; i++)
            {
                var (a, b, c) = RowValues(i);
                await w.WriteLineAsync(FormattableString.Invariant($"{i},{a},{b},{c},\"x, {i}\""));
            }
        }

        var reports = new List<long>();
        var output = _dir.File("out.csv");
        var count = await BatchPredictor.PredictFileAsync(model, input, output, progress: new SyncProgress(reports), chunkRows: 1_000);

        Assert.Equal(rows, count);
        Assert.Equal([1_000L, 2_000L, 2_500L], reports);
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal("id,a,b,c,note,prediction", lines[0]);
        Assert.Equal(rows + 1, lines.Length);
        foreach (var i in new[] { 0, 999, 1_000, 2_499 })
        {
            var (a, b, c) = RowValues(i);
            Assert.StartsWith(FormattableString.Invariant($"{i},{a},{b},{c},\"x, {i}\","), lines[i + 1], StringComparison.Ordinal);
            var prediction = double.Parse(lines[i + 1].Split(',')[^1], CultureInfo.InvariantCulture);
            Assert.Equal(OnnxModelTests.Expected(a, b, c), prediction, 3);
        }
    }

    [Fact]
    public async Task Parquet_row_groups_become_output_row_groups()
    {
        using var model = ModelLoader.Load(OnnxModelTests.WriteRegressor(_dir.File("reg")));
        var input = _dir.File("in.parquet");
        var fields = new DataField[] { new DataField<long>("id"), new DataField<double>("a"), new DataField<double>("b"), new DataField<double>("c") };
        await using (var stream = File.Create(input))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
        {
            for (var g = 0; g < 3; g++)
            {
                var ids = Enumerable.Range(g * 1000, 1000).Select(i => (long)i).ToArray();
                using var rg = writer.CreateRowGroup();
                await rg.WriteAsync(fields[0], (ReadOnlyMemory<long>)ids);
                await rg.WriteAsync(fields[1], (ReadOnlyMemory<double>)ids.Select(i => RowValues((int)i).A).ToArray());
                await rg.WriteAsync(fields[2], (ReadOnlyMemory<double>)ids.Select(i => RowValues((int)i).B).ToArray());
                await rg.WriteAsync(fields[3], (ReadOnlyMemory<double>)ids.Select(i => RowValues((int)i).C).ToArray());
            }
        }

        var output = _dir.File("out.parquet");
        Assert.Equal(3000, await BatchPredictor.PredictFileAsync(model, input, output));

        await using var reader = await ParquetReader.CreateAsync(output);
        Assert.Equal(3, reader.RowGroupCount);
        Assert.Equal(["id", "a", "b", "c", "prediction"], reader.Schema.GetDataFields().Select(f => f.Name));
        using var last = reader.OpenRowGroupReader(2);
        var ids2 = new long[1000];
        var predictions = new float[1000];
        await last.ReadAsync(reader.Schema.GetDataFields()[0], ids2.AsMemory());
        await last.ReadAsync(reader.Schema.GetDataFields()[4], predictions.AsMemory());
        for (var i = 0; i < 1000; i += 333)
        {
            var (a, b, c) = RowValues((int)ids2[i]);
            Assert.Equal(OnnxModelTests.Expected(a, b, c), predictions[i], 3);
        }
    }

    [Fact]
    public async Task Json_lines_stream_and_a_scoring_request_is_answered()
    {
        using var model = ModelLoader.Load(OnnxModelTests.WriteRegressor(_dir.File("reg")));
        var input = _dir.File("in.jsonl");
        await File.WriteAllLinesAsync(input, Enumerable.Range(0, 5).Select(i => FormattableString.Invariant($$"""{"a": {{RowValues(i).A}}, "b": {{RowValues(i).B}}, "c": {{RowValues(i).C}}, "tag": "t{{i}}"}""")));

        var output = _dir.File("out.jsonl");
        Assert.Equal(5, await BatchPredictor.PredictFileAsync(model, input, output, chunkRows: 2));

        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal(5, lines.Length);
        using var doc = JsonDocument.Parse(lines[4]);
        Assert.Equal("t4", doc.RootElement.GetProperty("tag").GetString());
        var (a, b, c) = RowValues(4);
        Assert.Equal(OnnxModelTests.Expected(a, b, c), doc.RootElement.GetProperty("prediction").GetDouble(), 3);

        var request = _dir.File("req.json");
        await File.WriteAllTextAsync(request, """{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[2, 3, 1]]}}""");
        await BatchPredictor.PredictFileAsync(model, request, _dir.File("resp.json"));
        using var resp = JsonDocument.Parse(await File.ReadAllTextAsync(_dir.File("resp.json")));
        Assert.Equal(OnnxModelTests.Expected(2, 3, 1), resp.RootElement.GetProperty("predictions")[0].GetDouble(), 5);
    }

    [Fact]
    public async Task Classifier_csv_gets_label_and_probability_columns()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(MlNetModelTests.Synthetic(400));
        var fitted = ml.Transforms.Conversion.MapValueToKey("Label", "Kind")
            .Append(ml.Transforms.Concatenate("Features", "X1", "X2"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(data);
        var manifest = ModelPackage.SaveMlNet(fitted, data.Schema, _dir.File("clf"), new MlNetSaveOptions { Task = "multiclass", LabelColumn = "Kind", InputColumns = ["X1", "X2"] });
        using var model = ModelLoader.Load(_dir.File("clf"));

        var input = _dir.File("in.csv");
        await File.WriteAllTextAsync(input, "X1,X2\n1.5,0\n-1.5,0\n0,0\n");
        await BatchPredictor.PredictFileAsync(model, input, _dir.File("out.csv"));

        var lines = await File.ReadAllLinesAsync(_dir.File("out.csv"));
        Assert.Equal("X1,X2,prediction," + string.Join(",", manifest.MlNet!.LabelValues.Select(l => "probability_" + l)), lines[0]);
        Assert.Equal(["high", "low", "mid"], lines.Skip(1).Select(l => l.Split(',')[2]));
        var probabilities = lines[1].Split(',').Skip(3).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(1.0, probabilities.Sum(), 4);
    }

    private sealed class SyncProgress(List<long> reports) : IProgress<long>
    {
        public void Report(long value) => reports.Add(value);
    }
}
