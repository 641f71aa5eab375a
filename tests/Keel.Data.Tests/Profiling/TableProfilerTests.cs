using System.Text.Json.Nodes;
using Keel.Core.Errors;
using Keel.Data.Profiling;
using Keel.Data.Tables;

namespace Keel.Data.Tests.Profiling;

public sealed class TableProfilerTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Reference");

    [Fact]
    public async Task Profile_of_the_fixture_matches_pandas()
    {
        var profile = await new TableProfiler().ProfileAsync(TableSource.Open(Path.Combine(Dir, "fixture.csv")));
        var reference = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Dir, "profile_reference.json")))!.AsObject();
        Assert.Equal(reference["row_count"]!.GetValue<long>(), profile.RowCount);
        var columns = reference["columns"]!.AsArray();
        Assert.Equal(columns.Count, profile.Columns.Count);
        foreach (var expected in columns.Select(c => c!.AsObject()))
        {
            var name = expected["name"]!.GetValue<string>();
            var actual = profile.Column(name)!;
            Assert.Equal(expected["count"]!.GetValue<long>(), actual.Count);
            Assert.Equal(expected["null_count"]!.GetValue<long>(), actual.NullCount);
            Assert.Equal(expected["distinct_count"]!.GetValue<long>(), actual.DistinctCount);
            Assert.True(actual.DistinctExact, name);
            Assert.True(JsonNumbers.Equal(expected["min"], actual.Min), $"{name} min {actual.Min}");
            Assert.True(JsonNumbers.Equal(expected["max"], actual.Max), $"{name} max {actual.Max}");
            if (expected["mean"] is JsonNode mean)
            {
                Assert.Equal(mean.GetValue<double>(), actual.Mean!.Value, 9);
                Assert.Equal(expected["std"]!.GetValue<double>(), actual.Std!.Value, 9);
                var quantiles = expected["quantiles"]!.AsArray().Select(q => q!.GetValue<double>()).ToList();
                Assert.Equal(quantiles.Count, actual.Quantiles!.Count);
                for (var i = 0; i < quantiles.Count; i++)
                {
                    Assert.Equal(quantiles[i], actual.Quantiles[i].Value, 9);
                }

                Assert.True(actual.QuantilesExact);
                Assert.Equal(actual.Count, actual.Histogram!.Counts.Sum());
                Assert.Equal(actual.Histogram.Edges.Count, actual.Histogram.Counts.Count + 1);
            }

            if (expected["top_values"] is JsonArray top)
            {
                var mine = new JsonArray(actual.TopValues!.Select(v => (JsonNode)new JsonObject { ["value"] = v.Value?.DeepClone(), ["count"] = v.Count }).ToArray());
                Assert.True(JsonNumbers.Equal(top, mine), $"{name} top values {mine.ToJsonString()}");
            }
        }
    }

    [Fact]
    public async Task Profile_json_round_trips_in_snake_case()
    {
        var profile = await new TableProfiler().ProfileAsync(TableSource.Open(Path.Combine(Dir, "fixture.csv")));
        var json = profile.ToJson();
        Assert.Contains("\"row_count\":12", json, StringComparison.Ordinal);
        Assert.Contains("\"null_count\"", json, StringComparison.Ordinal);
        Assert.Contains("\"top_values\"", json, StringComparison.Ordinal);
        var again = TableProfile.Parse(json);
        Assert.Equal(json, again.ToJson());
        Assert.Equal(profile.Columns.Count, again.Columns.Count);
    }

    [Fact]
    public async Task Integer_columns_with_few_values_get_one_bin_per_value_and_large_tables_use_estimates()
    {
        var dir = Directory.CreateTempSubdirectory("keel-profile-");
        try
        {
            var path = Path.Combine(dir.FullName, "t.csv");
            var lines = new List<string> { "k,u,s" };
            for (var i = 0; i < 3000; i++)
            {
                lines.Add($"{i % 4},{i},{(i % 3 == 0 ? "" : "v" + (i % 7))}");
            }

            await File.WriteAllLinesAsync(path, lines);
            var profile = await new TableProfiler().ProfileAsync(TableSource.Open(path), new ProfileOptions { DistinctExactLimit = 100, SampleRows = 1000 });
            var k = profile.Column("k")!;
            Assert.Equal([-0.5, 0.5, 1.5, 2.5, 3.5], k.Histogram!.Edges);
            Assert.Equal([750L, 750, 750, 750], k.Histogram.Counts);
            Assert.True(k.DistinctExact);
            Assert.Equal(4, k.DistinctCount);
            Assert.Equal(4, k.TopValues!.Count);

            var u = profile.Column("u")!;
            Assert.False(u.DistinctExact);
            Assert.InRange(u.DistinctCount, 2700, 3000);
            Assert.False(u.QuantilesExact);
            Assert.Equal(30, u.Histogram!.Counts.Count);
            Assert.Equal(3000, u.Histogram.Counts.Sum());

            var s = profile.Column("s")!;
            Assert.Equal(1000, s.NullCount);
            Assert.Equal("string", s.LogicalType);
            Assert.Equal(7, s.DistinctCount);
            var expectedTop = lines.Skip(1).Select(l => l.Split(',')[2]).Where(v => v.Length > 0)
                .GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, (long)g.Count()));
            Assert.Equal(expectedTop, s.TopValues!.Select(v => (v.Value!.GetValue<string>(), v.Count)));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task Unreadable_or_unknown_files_get_an_error_naming_the_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "keel-no-such-" + Guid.NewGuid().ToString("N") + ".csv");
        var e = Assert.Throws<KeelException>(() => TableSource.Open(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);

        var text = Path.Combine(Path.GetTempPath(), "keel-" + Guid.NewGuid().ToString("N") + ".txt");
        await File.WriteAllTextAsync(text, "x");
        try
        {
            Assert.Contains(text, Assert.Throws<KeelException>(() => TableSource.Open(text)).Message, StringComparison.Ordinal);
            var broken = Path.ChangeExtension(text, ".parquet");
            await File.WriteAllTextAsync(broken, "not parquet");
            var error = await Assert.ThrowsAsync<KeelException>(() => new TableProfiler().ProfileAsync(new TableSource([broken], TableFormat.Parquet)));
            Assert.Contains(broken, error.Message, StringComparison.Ordinal);
            File.Delete(broken);
        }
        finally
        {
            File.Delete(text);
        }
    }

    [Fact]
    public void Detect_needs_one_known_format()
    {
        Assert.Equal(TableFormat.Parquet, TableSource.TryDetect(["a.parquet", "b.PQ"])!.Format);
        Assert.Equal(TableFormat.Csv, TableSource.TryDetect(["a.csv.gz"])!.Format);
        Assert.Equal(TableFormat.JsonLines, TableSource.TryDetect(["a.ndjson"])!.Format);
        Assert.Null(TableSource.TryDetect(["a.csv", "b.parquet"]));
        Assert.Null(TableSource.TryDetect(["a.bin"]));
        Assert.Null(TableSource.TryDetect([]));
    }
}
