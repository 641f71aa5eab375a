using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Features;

/// <summary>
/// The walk-through of examples/feature-store/README.md, run for real with the `keel` CLI on the
/// committed weather data: apply the definitions, build the training set point in time, train on
/// it, materialize, read online (expiry included) and serve an endpoint that is enriched online.
/// </summary>
public sealed class FeatureStoreExampleTests
{
    private static readonly string Example = Path.Combine(RepoRoot(), "examples", "feature-store");

    [Fact]
    public async Task The_example_builds_a_point_in_time_training_set_trains_on_it_and_reads_the_latest_weather_online()
    {
        var dir = TempDirs.Create("keel-fs-example");
        try
        {
            var training = await PrepareAsync(dir);

            // Every entity row of days.csv comes back once, in order, with the four features.
            var days = ReadCsv(Path.Combine(Example, "data", "days.csv"));
            var rows = ReadCsv(training);
            Assert.Equal(2922, days.Count);
            Assert.Equal(days.Count, rows.Count);
            Assert.Equal(days.Select(d => (d["location"], d["event_timestamp"])), rows.Select(r => (r["location"], r["event_timestamp"])));
            Assert.All(["precipitation", "temp_max", "temp_min", "wind", "temp_range"], c => Assert.True(rows[0].ContainsKey(c), c));

            // Point in time: at midnight starting 2012-01-02 Seattle's latest observation is the day
            // before's (observed at that same midnight), never the day's own weather (the label).
            var weather = ReadCsv(Path.Combine(Example, "data", "weather.csv"));
            var day1 = weather.Single(w => w["location"] == "Seattle" && w["day"] == "2012-01-01");
            var day2 = weather.Single(w => w["location"] == "Seattle" && w["day"] == "2012-01-02");
            var joined = rows.Single(r => r["location"] == "Seattle" && r["event_timestamp"] == "2012-01-02T00:00:00Z");
            Assert.NotEqual(day1["precipitation"], day2["precipitation"]);
            foreach (var f in new[] { "precipitation", "temp_max", "temp_min", "wind" })
            {
                Assert.Equal(Num(day1[f]), Num(joined[f]));
            }

            // The on-demand feature is computed from the same joined values.
            Assert.Equal(Num(day1["temp_max"]) - Num(day1["temp_min"]), Num(joined["temp_range"]), 9);

            // The first day of each location has no earlier observation: a left join, nulls.
            var first = rows.First(r => r["location"] == "Seattle");
            Assert.Equal("2012-01-01T00:00:00Z", first["event_timestamp"]);
            Assert.Equal(string.Empty, first["precipitation"]);

            // Online: the last observation per location; ttl 0 keeps it, ttl 2d expires precip_7d.
            var (code, stdout, stderr) = await KeelCli.RunAsync(
                ["features", "online", "--features", "yesterday_weather:precipitation,yesterday_weather:temp_max,yesterday_weather:temp_min,yesterday_weather:wind,recent_rain:precip_7d",
                 "--entity", "location=Seattle,New_York", "--data-dir", dir, "--output", "json"]);
            Assert.True(code == 0, $"online failed ({code}): {stderr}\n{stdout}");
            var results = JsonNode.Parse(stdout)!["results"]!.AsArray();
            Assert.Equal(["location", "precipitation", "temp_max", "temp_min", "wind", "precip_7d"], JsonNode.Parse(stdout)!["metadata"]!["feature_names"]!.AsArray().Select(n => (string)n!));
            string[] locations = ["Seattle", "New_York"];
            for (var i = 0; i < locations.Length; i++)
            {
                var last = weather.Last(w => w["location"] == locations[i]);
                Assert.Equal(locations[i], (string)results[0]!["values"]![i]!);
                var names = new[] { "precipitation", "temp_max", "temp_min", "wind" };
                for (var f = 0; f < names.Length; f++)
                {
                    Assert.Equal("PRESENT", (string)results[f + 1]!["statuses"]![i]!);
                    Assert.Equal(Num(last[names[f]]), (double)results[f + 1]!["values"]![i]!);
                    Assert.Equal(last["observed_at"], (string)results[f + 1]!["event_timestamps"]![i]!);
                }

                Assert.Equal("EXPIRED", (string)results[5]!["statuses"]![i]!);
                Assert.Null(results[5]!["values"]![i]);
            }
        }
        finally
        {
            TempDirs.TryDelete(dir);
        }
    }

    [Fact]
    public async Task The_example_endpoint_is_enriched_online_from_the_location_alone()
    {
        var dir = TempDirs.Create("keel-fs-example-serve");
        Microsoft.AspNetCore.Builder.WebApplication? app = null;
        try
        {
            // The CLI steps first: a running server holds the data directory (then the CLI reaches it with --tracking-uri).
            await PrepareAsync(dir);
            app = KeelServer.Build(new KeelServerOptions(Port: 0, DataDir: dir));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

            var (code, stdout, stderr) = await KeelCli.RunAsync(
                ["endpoints", "create", "rain", "--model", "models:/rain/1", "--feature-service", "rain_model", "--tracking-uri", address]);
            Assert.True(code == 0, $"endpoints create failed ({code}): {stderr}\n{stdout}");

            // Only the entity key: the endpoint adds yesterday's weather before the model sees the row.
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            using var response = await http.PostAsync(
                "/endpoints/rain/invocations",
                new StringContent("""{"dataframe_records": [{"location": "Seattle"}, {"location": "New_York"}]}""", Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
            var predictions = JsonNode.Parse(body)!["predictions"]!.AsArray();
            Assert.Equal(2, predictions.Count);
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }

            TempDirs.TryDelete(dir);
        }
    }

    /// <summary>The example's steps up to materialization, on the embedded stores in <paramref name="dir"/>; returns the training set.</summary>
    private static async Task<string> PrepareAsync(string dir)
    {
        var training = Path.Combine(dir, "weather-train.csv");
        string[][] steps =
        [
            ["features", "apply", Path.Combine(Example, "features.yaml"), "--yes"],
            ["features", "get-historical", "--entities", Path.Combine(Example, "data", "days.csv"), "--features", "rain_model", "--output", training],
            // The example's spec, with the training set written here and a short search.
            ["train", Path.Combine(Example, "train.yaml"), "--data", training, "--trials", "3"],
            ["features", "materialize"],
        ];
        foreach (var step in steps)
        {
            var (code, stdout, stderr) = await KeelCli.RunAsync([.. step, "--data-dir", dir]);
            Assert.True(code == 0, $"keel {string.Join(' ', step)} failed ({code}): {stderr}\n{stdout}");
            if (step[0] == "train")
            {
                Assert.Contains("Registered as 'rain' version 1", stdout, StringComparison.Ordinal);
            }
        }

        return training;
    }

    private static double Num(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>A CSV without quoted fields (the example's files), as rows of column → text.</summary>
    private static List<Dictionary<string, string>> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split(',');
            return header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => cells[x.i]);
        })];
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Keel.slnx not found above " + AppContext.BaseDirectory);
    }
}
