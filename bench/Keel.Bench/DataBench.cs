using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Keel.Data.Profiling;
using Keel.Data.Tables;
using Keel.Data.Validation;

namespace Keel.Bench;

/// <summary>
/// Issue 10 data figures. Generates a deterministic table (20 columns: integers, floats, text,
/// nulls) as Parquet (what Keel stores) and CSV (what Debian's pandas can read without pyarrow),
/// then times:
///   data-profile  [--rows 1000000]   the profile of the Parquet file (target: under 1 s at 1M rows)
///   data-validate [--rows 10000000]  a 25-expectation suite (regexes, uniqueness, nulls) on the
///                                    Parquet file, and the same checks in pandas (bench/data_validate_pandas.py)
///                                    on the CSV, in the same run (target: under 5 s and 5x pandas)
///   dotnet run -c Release --project bench/Keel.Bench -- data-validate [--rows N] [--dir DIR] [--csv]
/// </summary>
internal static class DataBench
{
    public static async Task<int> ProfileAsync(string[] args)
    {
        var rows = long.Parse(Arg(args, "--rows") ?? "1000000", CultureInfo.InvariantCulture);
        var dir = Arg(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "keel-data-bench");
        var parquet = await EnsureDataAsync(dir, rows, csv: false);
        Console.WriteLine($"# data-profile  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  load avg {LoadAvg()}  {rows:N0} rows x 20 columns (Parquet, {new FileInfo(parquet).Length / 1e6:F0} MB)");
        var profiler = new TableProfiler();
        await profiler.ProfileAsync(new TableSource([parquet], TableFormat.Parquet)); // warm-up: JIT, DuckDB extension load
        var times = new List<double>();
        var cpu = new List<double>();
        TableProfile? profile = null;
        for (var i = 0; i < 5; i++)
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            profile = await profiler.ProfileAsync(new TableSource([parquet], TableFormat.Parquet));
            times.Add(sw.Elapsed.TotalSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
        }

        // On a shared machine wall time tracks the load; CPU time is the work done, and on an idle
        // machine with this many cores the wall time is about CPU time / cores at best.
        Console.WriteLine($"profile: median {Median(times):F3} s wall, {Median(cpu):F3} s CPU  (wall runs {string.Join(", ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))})  row_count {profile!.RowCount:N0}, {profile.Columns.Count} columns, JSON {profile.ToJson().Length / 1024.0:F1} KiB");
        return 0;
    }

    public static async Task<int> ValidateAsync(string[] args)
    {
        var rows = long.Parse(Arg(args, "--rows") ?? "10000000", CultureInfo.InvariantCulture);
        var dir = Arg(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "keel-data-bench");
        var parquet = await EnsureDataAsync(dir, rows, csv: true);
        var csv = Path.ChangeExtension(parquet, ".csv");
        var suitePath = Path.Combine(AppContext.BaseDirectory, "data_validate_suite.json");
        var suite = ExpectationSuite.Parse(await File.ReadAllTextAsync(suitePath));
        Console.WriteLine($"# data-validate  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  load avg {LoadAvg()}  {rows:N0} rows x 20 columns, {suite.Expectations.Count} expectations");
        var validator = new SuiteValidator();
        var source = new TableSource([parquet], TableFormat.Parquet);
        await validator.ValidateAsync(new TableSource([await EnsureDataAsync(Path.Combine(dir, "warm"), 10_000, csv: false)], TableFormat.Parquet), suite);
        var times = new List<double>();
        var cpu = new List<double>();
        SuiteValidationResult? result = null;
        for (var i = 0; i < 3; i++)
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            result = await validator.ValidateAsync(source, suite);
            times.Add(sw.Elapsed.TotalSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
        }

        var keel = Median(times);
        Console.WriteLine($"keel (Parquet, SUMMARY): median {keel:F2} s wall, {Median(cpu):F2} s CPU  (wall runs {string.Join(", ", times.Select(t => t.ToString("F2", CultureInfo.InvariantCulture)))})  {result!.Successful}/{result.Evaluated} succeed");

        if (args.Contains("--csv"))
        {
            var csvSw = Stopwatch.StartNew();
            var csvResult = await validator.ValidateAsync(new TableSource([csv], TableFormat.Csv), suite);
            Console.WriteLine($"keel (CSV, parse included): {csvSw.Elapsed.TotalSeconds:F2} s  {csvResult.Successful}/{csvResult.Evaluated} succeed");
        }

        var script = Path.Combine(AppContext.BaseDirectory, "data_validate_pandas.py");
        var psi = new ProcessStartInfo("/usr/bin/python3", [script, csv, suitePath]) { RedirectStandardOutput = true };
        using var python = Process.Start(psi)!;
        var output = await python.StandardOutput.ReadToEndAsync();
        await python.WaitForExitAsync();
        var peer = JsonNode.Parse(output)!.AsObject();
        var pandasChecks = peer["checks_seconds"]!.GetValue<double>();
        Console.WriteLine($"pandas {peer["pandas"]}: read_csv {peer["load_seconds"]!.GetValue<double>():F1} s (not counted), checks {pandasChecks:F2} s wall, {peer["checks_cpu_seconds"]!.GetValue<double>():F2} s CPU");
        Console.WriteLine($"speed-up (pandas checks only / keel end to end on Parquet): {pandasChecks / keel:F1}x");

        // Both must agree on every expectation's outcome and unexpected count.
        var disagreements = 0;
        var peerResults = peer["results"]!.AsArray();
        for (var i = 0; i < result.Results.Count; i++)
        {
            var mine = result.Results[i];
            var theirs = peerResults[i]!.AsObject();
            var myCount = mine.Result["unexpected_count"]?.GetValue<long>();
            var theirCount = theirs["unexpected_count"]?.GetValue<long>();
            if (mine.Success != theirs["success"]!.GetValue<bool>() || (theirCount is not null && myCount != theirCount))
            {
                disagreements++;
                Console.WriteLine($"  DISAGREE {i} {mine.Expectation.Type}: keel {mine.Success}/{myCount} pandas {theirs["success"]}/{theirCount} {mine.ExceptionMessage}");
            }
        }

        Console.WriteLine(disagreements == 0 ? "keel and pandas agree on every expectation (success and unexpected_count)" : $"{disagreements} disagreements");
        return disagreements == 0 ? 0 : 1;
    }

    private static async Task<string> EnsureDataAsync(string dir, long rows, bool csv)
    {
        Directory.CreateDirectory(dir);
        var parquet = Path.Combine(dir, $"table-{rows}.parquet");
        var csvPath = Path.ChangeExtension(parquet, ".csv");
        if (File.Exists(parquet) && (!csv || File.Exists(csvPath)))
        {
            return parquet;
        }

        using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"CREATE TEMP TABLE g AS {Generator(rows)}";
            await cmd.ExecuteNonQueryAsync();
        }

        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = $"COPY g TO '{parquet}' (FORMAT parquet, ROW_GROUP_SIZE 122880)";
            await cmd.ExecuteNonQueryAsync();
        }

        if (csv)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"COPY g TO '{csvPath}' (FORMAT csv, HEADER true)";
            await cmd.ExecuteNonQueryAsync();
        }

        return parquet;
    }

    // Deterministic pseudo-random columns from hash(row, k).
    private static string Generator(long rows) => $"""
        SELECT
          i AS id,
          (hash(i, 1) % 100)::BIGINT AS age,
          CASE WHEN hash(i, 2) % 20 = 0 THEN NULL ELSE (hash(i, 3) % 1000000)::BIGINT END AS amount_cents,
          (hash(i, 4) % 5)::BIGINT AS rating,
          (hash(i, 5) % 10000)::BIGINT AS store_id,
          (hash(i, 6) % 1000)::BIGINT AS qty,
          (hash(i, 7) % 3600)::BIGINT AS duration_s,
          (hash(i, 8) % 1000000) / 1000.0 AS price,
          (hash(i, 8) % 1000000) / 2000.0 AS discount,
          CASE WHEN hash(i, 9) % 10 = 0 THEN NULL ELSE ((hash(i, 10) % 2000000) / 1000.0) - 1000 END AS balance,
          (hash(i, 16) % 100000) / 100000.0 AS score,
          CASE WHEN hash(i, 17) % 4 = 0 THEN NULL ELSE (hash(i, 18) % 50000) / 10.0 END AS weight,
          ['red', 'green', 'blue', 'black', 'white'][1 + (hash(i, 11) % 5)::INTEGER] AS color,
          'user' || (hash(i, 12) % 1000000)::VARCHAR || '@example.' || ['com', 'org', 'net'][1 + (hash(i, 13) % 3)::INTEGER] AS email,
          'SKU-' || lpad((i % 1000000)::VARCHAR, 7, '0') AS sku,
          printf('ORD-%010d', i) AS order_code,
          CASE WHEN hash(i, 14) % 50 = 0 THEN NULL ELSE ['DE', 'FR', 'US', 'GB', 'JP', 'BR', 'IN', 'CN'][1 + (hash(i, 19) % 8)::INTEGER] END AS country,
          strftime(DATE '2020-01-01' + (hash(i, 15) % 1800)::INTEGER, '%Y-%m-%d') AS day,
          CASE WHEN hash(i, 20) % 3 = 0 THEN NULL ELSE 'note ' || (hash(i, 21) % 1000)::VARCHAR END AS note,
          CASE WHEN hash(i, 22) % 100 = 0 THEN 'X' || (hash(i, 24) % 10)::VARCHAR ELSE 'T' || (hash(i, 23) % 100000)::VARCHAR END AS tag
        FROM range({rows}) t(i)
        """;

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static string LoadAvg() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg")[..14] : "n/a";

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
