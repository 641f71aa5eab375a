using System.Globalization;
using Parquet;
using Keel.ML.Batch;
using Parquet.Schema;
using Xunit;

namespace Keel.Training.Tests;

public sealed class ParquetTests
{
    [Fact]
    public async Task Trains_from_a_parquet_file_like_from_its_csv()
    {
        using var fx = new TrainingFixture();
        var lines = File.ReadAllLines(TrainingFixture.DataFile("wine.csv"));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var fields = header[..^1].Select(h => (DataField)new DataField<double>(h)).Append(new DataField<string>(header[^1])).ToArray();
        var path = Path.Combine(fx.Root, "wine.parquet");
        await using (var file = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < header.Length - 1; c++)
            {
                await ParquetColumns.WriteAsync(group, fields[c], rows.Select(r => double.Parse(r[c], CultureInfo.InvariantCulture)).ToArray(), CancellationToken.None);
            }

            await ParquetColumns.WriteAsync(group, fields[^1], rows.Select(r => (string?)r[^1]).ToArray(), CancellationToken.None);
        }

        var spec = new TrainingSpec { Data = path, Label = "class", Task = TrainingTask.Multiclass, Trials = 2, Trainers = ["sdca"] };
        var fromParquet = await fx.Runner().RunAsync(spec);
        var fromCsv = await fx.Runner().RunAsync(spec with { Data = TrainingFixture.DataFile("wine.csv") });
        Assert.Equal(fromCsv.Metrics["micro_accuracy"], fromParquet.Metrics["micro_accuracy"]);
        Assert.NotEqual(fromCsv.DatasetHash, fromParquet.DatasetHash);
        Assert.DoesNotContain(Directory.GetFiles(Path.GetTempPath(), "keel-train-*.csv"), f => File.GetLastWriteTimeUtc(f) > DateTime.UtcNow.AddMinutes(-1));
    }
}
