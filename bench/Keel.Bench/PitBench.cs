using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Keel.Core.Features;
using Keel.Data.Features;

namespace Keel.Bench;

/// <summary>
/// Issue 15 point-in-time retrieval. Generates 5 feature views of N rows each (Parquet; one entity
/// <c>driver</c>, 3 features per view, a created column with ties on event time, TTLs 2 h, 1 d, 7 d,
/// 30 d and none) and an entity file, then times in the same run, alternating:
///   keel   OfflineRetrieval.WriteAsync end to end to a Parquet file (15 features, full names)
///   hand   one hand-written DuckDB query with the same semantics (ASOF on (event_ts, created) so
///          ties go to the latest created, TTL applied, input order kept) COPY'd to Parquet, on
///          its own connection; --window-dedup also times the other way (ties reduced with
///          QUALIFY row_number() first, then ASOF on event_ts)
/// and, at a scaled-down size on CSV (Debian's pandas cannot read Parquet without pyarrow), pandas
/// merge_asof (bench/pit_pandas.py) against Keel on the same CSV files.
///   dotnet bench/Keel.Bench/bin/Release/net10.0/Keel.Bench.dll pit [--rows 10000000] [--entities 1000000]
///       [--keys 100000] [--runs 3] [--pandas-rows 1000000] [--pandas-entities 100000] [--no-pandas] [--window-dedup] [--dir DIR]
/// </summary>
internal static class PitBench
{
    private static readonly string[] Ttls = ["INTERVAL 2 HOUR", "INTERVAL 1 DAY", "INTERVAL 7 DAY", "INTERVAL 30 DAY", string.Empty];
    private static readonly TimeSpan?[] TtlSpans = [TimeSpan.FromHours(2), TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30), null];

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = long.Parse(Arg(args, "--rows") ?? "10000000", CultureInfo.InvariantCulture);
        var entities = long.Parse(Arg(args, "--entities") ?? "1000000", CultureInfo.InvariantCulture);
        var keys = long.Parse(Arg(args, "--keys") ?? "100000", CultureInfo.InvariantCulture);
        var runs = int.Parse(Arg(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var dir = Arg(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "keel-pit-bench");
        Console.WriteLine($"# pit  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  load avg {LoadAvg()}  5 views x {rows:N0} rows, {entities:N0} entity rows, {keys:N0} entities");
        var data = Path.Combine(dir, $"{rows}-{entities}-{keys}");
        var gen = Stopwatch.StartNew();
        await GenerateAsync(data, rows, entities, keys, "parquet");
        Console.WriteLine($"data: {data} ({gen.Elapsed.TotalSeconds:F1} s to generate or find)");

        var definitions = Definitions(data, "parquet");
        var request = Request(Path.Combine(data, "entities.parquet"));
        var keelTimes = new List<double>();
        var handTimes = new List<double>();
        HistoricalSummary? summary = null;
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            summary = await new OfflineRetrieval(definitions).WriteAsync(request, Path.Combine(data, "keel-out.parquet"));
            keelTimes.Add(sw.Elapsed.TotalSeconds);
            sw.Restart();
            await HandWrittenAsync(data, "parquet", Path.Combine(data, "hand-out.parquet"), structAsof: true);
            handTimes.Add(sw.Elapsed.TotalSeconds);
            Console.WriteLine($"run {i + 1}: keel {keelTimes[^1]:F2} s, hand-written {handTimes[^1]:F2} s");
        }

        Console.WriteLine($"keel:         median {Median(keelTimes):F2} s  ({string.Join(", ", keelTimes.Select(F2))})  matched {string.Join(", ", summary!.Views.Select(v => $"{v.View} {v.Share:P1}"))}");
        Console.WriteLine($"hand-written: median {Median(handTimes):F2} s  ({string.Join(", ", handTimes.Select(F2))})");
        Console.WriteLine($"ratio keel / hand-written: {Median(keelTimes) / Median(handTimes):F2}x (target: 1.5x at most)");
        Console.WriteLine($"outputs equal: {await SameAsync(Path.Combine(data, "keel-out.parquet"), Path.Combine(data, "hand-out.parquet"))}");

        if (args.Contains("--window-dedup"))
        {
            // The other way to honour ties: reduce ties with a window first, then ASOF on event_ts alone.
            var structTimes = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                await HandWrittenAsync(data, "parquet", Path.Combine(data, "window-out.parquet"), structAsof: false);
                structTimes.Add(sw.Elapsed.TotalSeconds);
            }

            Console.WriteLine($"hand-written, ties reduced by a window then ASOF on event_ts: median {Median(structTimes):F2} s ({string.Join(", ", structTimes.Select(F2))}); equal: {await SameAsync(Path.Combine(data, "window-out.parquet"), Path.Combine(data, "hand-out.parquet"))}");
        }

        if (!args.Contains("--no-pandas"))
        {
            var pandasRows = long.Parse(Arg(args, "--pandas-rows") ?? "1000000", CultureInfo.InvariantCulture);
            var pandasEntities = long.Parse(Arg(args, "--pandas-entities") ?? "100000", CultureInfo.InvariantCulture);
            var small = Path.Combine(dir, $"csv-{pandasRows}-{pandasEntities}-{keys}");
            await GenerateAsync(small, pandasRows, pandasEntities, keys, "csv");
            var sw = Stopwatch.StartNew();
            var smallSummary = await new OfflineRetrieval(Definitions(small, "csv")).WriteAsync(Request(Path.Combine(small, "entities.csv")), Path.Combine(small, "keel-out.csv"));
            var keelCsv = sw.Elapsed.TotalSeconds;
            var script = Path.Combine(AppContext.BaseDirectory, "pit_pandas.py");
            var psi = new ProcessStartInfo("/usr/bin/python3", [script, small, Path.Combine(small, "pandas-out.csv")]) { RedirectStandardOutput = true };
            sw.Restart();
            using var python = Process.Start(psi)!;
            var output = await python.StandardOutput.ReadToEndAsync();
            await python.WaitForExitAsync();
            var pandas = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"scaled down, CSV in and out: 5 views x {pandasRows:N0} rows, {pandasEntities:N0} entity rows: keel {keelCsv:F2} s ({smallSummary.Rows:N0} rows), pandas merge_asof {pandas:F2} s end to end ({output.Trim()}); pandas / keel {pandas / keelCsv:F1}x");
        }

        return 0;
    }

    private static string F2(double x) => x.ToString("F2", CultureInfo.InvariantCulture);

    private static FeatureDefinitions Definitions(string data, string extension) => new(
        [new FeatureEntity("driver", ["driver_id"])],
        [.. Enumerable.Range(0, 5).Select(v => new FeatureSource($"s{v}", Path.Combine(data, $"v{v}.{extension}"), "event_ts", "created"))],
        [.. Enumerable.Range(0, 5).Select(v => new FeatureView($"v{v}", ["driver"], $"s{v}", TtlSpans[v], [new("a", FeatureDtype.Float64), new("b", FeatureDtype.Float64), new("c", FeatureDtype.Int64)]))],
        [],
        []);

    private static HistoricalRequest Request(string entities) =>
        new(entities, [.. Enumerable.Range(0, 5).SelectMany(v => new[] { new FeatureReference($"v{v}", "a"), new FeatureReference($"v{v}", "b"), new FeatureReference($"v{v}", "c") })], FullFeatureNames: true);

    /// <summary>The same semantics written by hand: what a DuckDB user would write for one retrieval.</summary>
    private static async Task HandWrittenAsync(string data, string extension, string output, bool structAsof = false)
    {
        string Read(string name) => extension == "parquet" ? $"read_parquet('{Path.Combine(data, name + ".parquet")}')" : $"read_csv('{Path.Combine(data, name + ".csv")}')";
        var ctes = new List<string>
        {
            extension == "parquet"
                ? $"e AS (SELECT *, file_row_number AS rn FROM read_parquet('{Path.Combine(data, "entities.parquet")}', file_row_number = true))"
                : $"e AS (SELECT *, row_number() OVER () AS rn FROM {Read("entities")})",
        };
        var joins = new List<string>();
        var columns = new List<string> { "e.driver_id", "e.event_timestamp" };
        for (var v = 0; v < 5; v++)
        {
            if (structAsof)
            {
                ctes.Add($"v{v} AS (SELECT driver_id, event_ts, {{'t': event_ts, 'c': created}} AS tc, a, b, c FROM {Read($"v{v}")})");
                joins.Add($"ASOF LEFT JOIN v{v} ON e.driver_id = v{v}.driver_id AND {{'t': e.event_timestamp, 'c': 'infinity'::TIMESTAMP}} >= v{v}.tc");
            }
            else
            {
                ctes.Add($"v{v} AS (SELECT driver_id, event_ts, a, b, c FROM {Read($"v{v}")} QUALIFY row_number() OVER (PARTITION BY driver_id, event_ts ORDER BY created DESC) = 1)");
                joins.Add($"ASOF LEFT JOIN v{v} ON e.driver_id = v{v}.driver_id AND e.event_timestamp >= v{v}.event_ts");
            }
            var live = Ttls[v].Length == 0 ? $"v{v}.event_ts IS NOT NULL" : $"v{v}.event_ts >= e.event_timestamp - {Ttls[v]}";
            columns.AddRange(new[] { "a", "b", "c" }.Select(f => $"CASE WHEN {live} THEN v{v}.{f} END AS v{v}__{f}"));
        }

        var sql = $"COPY (WITH {string.Join(", ", ctes)} SELECT {string.Join(", ", columns)} FROM e {string.Join(" ", joins)} ORDER BY e.rn) TO '{output}' (FORMAT PARQUET)";
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await ExecAsync(connection, sql);
    }

    private static async Task<bool> SameAsync(string a, string b)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT (SELECT count(*) FROM (SELECT * FROM '{a}' EXCEPT ALL SELECT * FROM '{b}')) + (SELECT count(*) FROM (SELECT * FROM '{b}' EXCEPT ALL SELECT * FROM '{a}'))";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 0;
    }

    private static async Task GenerateAsync(string data, long rows, long entities, long keys, string extension)
    {
        if (File.Exists(Path.Combine(data, "done")))
        {
            return;
        }

        Directory.CreateDirectory(data);
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var format = extension == "parquet" ? "FORMAT PARQUET" : "FORMAT CSV, HEADER";

        // A year of event times at millisecond grain, spread over the entities by multiplicative
        // hashing; a tenth of the rows repeat their predecessor's event time with a later created
        // time, so the tie rule is exercised at scale.
        const long Span = 365L * 24 * 3600 * 1000;
        for (var v = 0; v < 5; v++)
        {
            var sql = $"""
                COPY (
                  SELECT (r * 7919 + {v}) % {keys} AS driver_id,
                         TIMESTAMP '2024-01-01' + to_milliseconds(((CASE WHEN r % 10 = 9 THEN r - 1 ELSE r END) * 104729 + {v * 7}) % {Span}) AS event_ts,
                         TIMESTAMP '2024-01-01' + to_milliseconds(((r * 104729) % {Span}) + 60000 + r % 1000) AS created,
                         CAST(((r * 31 + {v}) % 10007) / 10007.0 AS DOUBLE) AS a,
                         CAST(((r * 17 + {v}) % 65521) / 65521.0 AS DOUBLE) AS b,
                         CAST((r * 13 + {v}) % 1000 AS BIGINT) AS c
                  FROM range({rows}) t(r)
                ) TO '{Path.Combine(data, $"v{v}.{extension}")}' ({format})
                """;
            await ExecAsync(connection, sql);
        }

        await ExecAsync(connection, $"""
            COPY (
              SELECT (r * 48271) % {keys} AS driver_id,
                     TIMESTAMP '2024-01-01' + to_milliseconds((r * 2654435761) % {Span}) AS event_timestamp
              FROM range({entities}) t(r)
            ) TO '{Path.Combine(data, $"entities.{extension}")}' ({format})
            """);
        await File.WriteAllTextAsync(Path.Combine(data, "done"), string.Empty);
    }

    private static async Task ExecAsync(DuckDBConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static string LoadAvg() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg")[..14] : "n/a";

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
