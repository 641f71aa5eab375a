using System.Globalization;
using System.Text;
using Keel.Application.Features;
using Keel.Core.Features;
using Keel.Data.Features;
using Xunit.Abstractions;

namespace Keel.Hosting.Tests.Features;

/// <summary>
/// Offline = online (issue 15, item 5): the same entity rows go through point-in-time retrieval
/// (<see cref="OfflineRetrieval"/>) and through incremental materialization + online reads at the
/// same timestamps; both must give the values and statuses of Feast's rule, computed here by a
/// plain C# reference over the generated rows (latest row with entity_ts - ttl &lt;= event_ts &lt;=
/// entity_ts, ties by the latest created time; a row only older than the TTL: EXPIRED; no row:
/// NOT_FOUND; a stored null: NULL_VALUE). Runs on the embedded SQLite store read through the
/// serving process's cache, and on Redis when KEEL_TEST_REDIS is set.
/// </summary>
public sealed class OfflineOnlineConformanceTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTimeOffset Origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan DailyTtl = TimeSpan.FromDays(1);
    private static readonly TimeSpan PairTtl = TimeSpan.FromHours(6);
    private const int Drivers = 40; // driver 40 has no rows at all

    /// <summary>The read times T1 &lt; ... &lt; T6 over the ten days (odd milliseconds on purpose).</summary>
    private static readonly DateTimeOffset[] ReadTimes =
    [
        Origin + TimeSpan.FromHours(30) + TimeSpan.FromMilliseconds(17),
        Origin + TimeSpan.FromDays(3) + TimeSpan.FromMinutes(7),
        Origin + TimeSpan.FromDays(4.5) + TimeSpan.FromMilliseconds(999),
        Origin + TimeSpan.FromDays(6) + TimeSpan.FromSeconds(3),
        Origin + TimeSpan.FromDays(8) + TimeSpan.FromHours(5),
        Origin + TimeSpan.FromDays(9.9),
    ];

    private static readonly string[] Features =
    [
        "driver_daily:conv_rate", "driver_daily:trips", "driver_daily:label", "driver_daily:active", "driver_daily:last_seen",
        "driver_total:trips", "driver_total:label",
        "pair:affinity",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("keel-conformance-").FullName;

    [Fact]
    public async Task Conformance_offline_and_online_agree_on_the_embedded_store_read_through_the_cache()
    {
        var data = Generate();
        await using var backend = KeelBackends.OpenMetadata(Path.Combine(_dir, "keel.db"));
        var online = "sqlite:///" + Path.Combine(_dir, "online.db");
        // The materializer writes as `keel features materialize` does (another process: the raw store);
        // the server reads through its cache, which must notice those writes.
        await using var writer = await OnlineStoreBackend.OpenAsync(online, _dir);
        await using var reader = await OnlineStoreBackend.OpenAsync(online, _dir, cached: true, refreshInterval: TimeSpan.Zero);
        await RunAsync(data, backend.Features, writer, reader);
    }

    [Fact]
    public async Task Conformance_offline_and_online_agree_on_parquet_sources_with_narrow_and_naive_types()
    {
        // The same rows as Parquet: Int32 columns (a feature and a join key), timestamps without a
        // time zone (read as UTC) and in milliseconds, so both paths' type handling is compared too.
        var data = Generate(parquet: true);
        await using var backend = KeelBackends.OpenMetadata(Path.Combine(_dir, "keel.db"));
        await using var store = await OnlineStoreBackend.OpenAsync("sqlite:///" + Path.Combine(_dir, "online.db"), _dir, cached: true);
        await RunAsync(data, backend.Features, store, store, ".parquet");
    }

    [Fact]
    public async Task Conformance_offline_and_online_agree_on_redis()
    {
        if (Environment.GetEnvironmentVariable("KEEL_TEST_REDIS") is not { Length: > 0 } redis)
        {
            output.WriteLine("SKIPPED: KEEL_TEST_REDIS is not set (CI sets it); the embedded store's run covers the same rows.");
            return;
        }

        var data = Generate();
        await using var backend = KeelBackends.OpenMetadata(Path.Combine(_dir, "keel.db"));
        var prefix = "keel-conformance-" + Guid.NewGuid().ToString("N")[..8] + ":";
        await using var store = await OnlineStoreBackend.OpenAsync(redis.TrimEnd('/') + "/0?prefix=" + Uri.EscapeDataString(prefix), _dir);
        try
        {
            await RunAsync(data, backend.Features, store, store);
        }
        finally
        {
            foreach (var view in new[] { "driver_daily", "driver_total", "pair" })
            {
                await store.DropAsync(EntityKeys.Table(view, 1));
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task RunAsync(Data data, IFeatureRegistry registry, IOnlineFeatureStore writer, IOnlineFeatureStore reader, string extension = ".csv")
    {
        var defs = Definitions(extension);
        var applied = await new FeatureRegistryService(registry, null, null).ApplyAsync(defs, force: false, "conformance");
        Assert.True(applied.Applied);
        var catalogDefs = applied.Catalog.Definitions;
        var offline = new OfflineRetrieval(catalogDefs);
        var materializer = new Materializer(registry, writer, new ScannerRowSource());
        var service = new OnlineFeatureService(registry, reader);
        var references = Features.Select(f => FeatureReference.TryParse(f)!).ToList();

        var totals = new Dictionary<OnlineValueStatus, int>();
        var compared = 0;
        OnlineFeatureResult? last = null;
        for (var k = 0; k < ReadTimes.Length; k++)
        {
            var at = ReadTimes[k];
            var runs = await materializer.RunAsync(new MaterializeRequest(End: at, Incremental: true, ChunkSize: 7));
            Assert.All(runs, r => Assert.Null(r.Skipped));

            var entities = Path.Combine(_dir, $"entities_{k + 1}.csv");
            WriteEntities(entities, at);
            var table = await offline.ReadAsync(new HistoricalRequest(entities, references, FullFeatureNames: true));
            Assert.Equal(Drivers, table.Rows.Count);

            var result = await service.GetOnlineFeaturesAsync(
                Features,
                null,
                new Dictionary<string, IReadOnlyList<object?>>
                {
                    ["driver_id"] = [.. Enumerable.Range(1, Drivers).Select(d => (object?)(long)d)],
                    ["customer_id"] = [.. Enumerable.Range(1, Drivers).Select(d => (object?)CustomerOf(d))],
                },
                fullFeatureNames: true,
                at: at);

            var counts = Compare(data, at, table, result);
            CheckEdgeCases(data, k + 1, result);
            foreach (var (status, n) in counts)
            {
                totals[status] = totals.GetValueOrDefault(status) + n;
            }

            compared += Drivers * Features.Length;
            output.WriteLine(
                $"T{k + 1} {at:O}: {Drivers} entity rows x {Features.Length} features = {Drivers * Features.Length} values; "
                + string.Join(", ", Enum.GetValues<OnlineValueStatus>().Select(s => $"{OnlineStatusNames.Of(s)} {counts.GetValueOrDefault(s)}"))
                + "; materialized " + string.Join(", ", runs.Select(r => $"{r.View} {r.Rows}")));
            last = result;
        }

        // A full re-run over everything up to T6 changes nothing: the same answers.
        var full = await materializer.RunAsync(new MaterializeRequest(End: ReadTimes[^1]));
        Assert.All(full, r => Assert.True(r.Rows > 0));
        var again = await service.GetOnlineFeaturesAsync(
            Features,
            null,
            new Dictionary<string, IReadOnlyList<object?>>
            {
                ["driver_id"] = [.. Enumerable.Range(1, Drivers).Select(d => (object?)(long)d)],
                ["customer_id"] = [.. Enumerable.Range(1, Drivers).Select(d => (object?)CustomerOf(d))],
            },
            fullFeatureNames: true,
            at: ReadTimes[^1]);
        for (var c = 0; c < Features.Length; c++)
        {
            Assert.Equal(last!.Statuses[c], again.Statuses[c]);
            Assert.Equal(last.Values[c], again.Values[c]);
        }

        output.WriteLine($"Total: {compared} values compared; " + string.Join(", ", Enum.GetValues<OnlineValueStatus>().Select(s => $"{OnlineStatusNames.Of(s)} {totals.GetValueOrDefault(s)}")) + "; full re-run gave the same answers.");
        Assert.All(Enum.GetValues<OnlineValueStatus>(), s => Assert.True(totals.GetValueOrDefault(s) > 0, $"no {OnlineStatusNames.Of(s)} value was compared: the run proves nothing about it"));
    }

    /// <summary>Checks offline and online against the reference, value and status for value and status, and counts the statuses.</summary>
    private static Dictionary<OnlineValueStatus, int> Compare(Data data, DateTimeOffset at, HistoricalTable table, OnlineFeatureResult online)
    {
        var counts = new Dictionary<OnlineValueStatus, int>();
        var atMs = at.ToUnixTimeMilliseconds();
        for (var c = 0; c < Features.Length; c++)
        {
            var reference = FeatureReference.TryParse(Features[c])!;
            var column = table.IndexOf(reference.FullName);
            Assert.True(column >= 0, $"offline has no column {reference.FullName}");
            for (var r = 0; r < Drivers; r++)
            {
                var driver = r + 1;
                var (expectedValue, expectedStatus) = data.Expect(reference, driver, CustomerOf(driver), atMs);
                var where = $"{Features[c]} driver {driver} customer {CustomerOf(driver)} at {at:O}";
                var offlineValue = table.Rows[r][column];
                Assert.True(Equals(expectedValue, offlineValue), $"{where}: offline gave {Show(offlineValue)}, Feast's rule gives {Show(expectedValue)} ({OnlineStatusNames.Of(expectedStatus)})");
                Assert.True(
                    Equals(expectedValue, online.Values[c][r]) && expectedStatus == online.Statuses[c][r],
                    $"{where}: online gave {Show(online.Values[c][r])} {OnlineStatusNames.Of(online.Statuses[c][r])}, Feast's rule gives {Show(expectedValue)} {OnlineStatusNames.Of(expectedStatus)}");
                counts[expectedStatus] = counts.GetValueOrDefault(expectedStatus) + 1;
            }
        }

        return counts;
    }

    /// <summary>The edge cases planted by <see cref="Generate"/>, stated directly, so the reference cannot drift with the engine.</summary>
    private static void CheckEdgeCases(Data data, int k, OnlineFeatureResult online)
    {
        OnlineValueStatus Status(string feature, int driver) => online.Statuses[Array.IndexOf(Features, feature)][driver - 1];
        object? Value(string feature, int driver) => online.Values[Array.IndexOf(Features, feature)][driver - 1];
        long T(int i) => ReadTimes[i - 1].ToUnixTimeMilliseconds();

        Assert.All(Features, f => Assert.Equal(OnlineValueStatus.NotFound, Status(f, Drivers))); // no rows at all
        switch (k)
        {
            case 1:
                Assert.Equal(OnlineValueStatus.NullValue, Status("driver_daily:conv_rate", 5)); // a stored null
                Assert.Equal(OnlineValueStatus.Present, Status("driver_daily:trips", 5));
                Assert.Equal(OnlineValueStatus.Expired, Status("driver_daily:trips", 6));
                Assert.Equal(OnlineValueStatus.Present, Status("driver_total:trips", 6)); // TTL 0: never expires
                break;
            case 2:
                // The tie at T2 - 2h: the later-created row; not the row created last with an earlier event time.
                var winner = data.DriverRows.Single(r => r.Driver == 1 && r.Event == T(2) - 3_600_000 * 2 && r.Created == T(2) - 3_600_000 + 1);
                Assert.Equal(winner.Values["trips"], Value("driver_daily:trips", 1));
                Assert.Equal(4.5, Value("pair:affinity", 3));
                break;
            case 3:
                var atT3 = data.DriverRows.Single(r => r.Driver == 2 && r.Event == T(3));
                Assert.Equal(atT3.Values["trips"], Value("driver_daily:trips", 2)); // a row exactly at entity_ts counts
                Assert.Equal((OnlineValueStatus.Present, (object?)1.5), (Status("pair:affinity", 1), Value("pair:affinity", 1))); // exactly entity_ts - ttl
                Assert.Equal(OnlineValueStatus.Expired, Status("pair:affinity", 2)); // 1 ms older
                break;
            case 4:
                Assert.Equal(OnlineValueStatus.Present, Status("driver_daily:trips", 3)); // exactly entity_ts - ttl
                Assert.Equal(OnlineValueStatus.Expired, Status("driver_daily:trips", 4)); // 1 ms older
                Assert.Equal(OnlineValueStatus.Present, Status("driver_total:trips", 4));
                var beforeT4 = data.DriverRows.Single(r => r.Driver == 2 && r.Event == T(3));
                Assert.Equal(beforeT4.Values["trips"], Value("driver_total:trips", 2)); // the row 1 ms after T4 is not seen
                break;
            case 5:
                Assert.Equal(OnlineValueStatus.NullValue, Status("driver_daily:label", 5)); // the tie's later-created row holds nulls
                Assert.Equal(OnlineValueStatus.NullValue, Status("pair:affinity", 4));
                break;
        }
    }

    private static string Show(object? value) => value is null ? "null" : $"{value} ({value.GetType().Name})";

    private static long CustomerOf(int driver) => (driver % 4) + 1;

    private void WriteEntities(string path, DateTimeOffset at)
    {
        var text = new StringBuilder("driver_id,customer_id,event_timestamp\n");
        for (var d = 1; d <= Drivers; d++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{d},{CustomerOf(d)},{Ts(at)}\n");
        }

        File.WriteAllText(path, text.ToString());
    }

    private static string Ts(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+00:00";

    private static string Ts(long ms) => Ts(DateTimeOffset.FromUnixTimeMilliseconds(ms));

    private FeatureDefinitions Definitions(string extension) => new(
        [new FeatureEntity("driver", ["driver_id"]), new FeatureEntity("customer", ["customer_id"])],
        [
            new FeatureSource("drivers", Path.Combine(_dir, "drivers" + extension), "event_ts", "created"),
            new FeatureSource("pairs", Path.Combine(_dir, "pairs" + extension), "event_ts", "created"),
        ],
        [
            new FeatureView("driver_daily", ["driver"], "drivers", DailyTtl, [new("conv_rate", FeatureDtype.Float64), new("trips", FeatureDtype.Int64), new("label", FeatureDtype.String), new("active", FeatureDtype.Bool), new("last_seen", FeatureDtype.UnixTimestamp)]),
            new FeatureView("driver_total", ["driver"], "drivers", TimeSpan.Zero, [new("trips", FeatureDtype.Int64), new("label", FeatureDtype.String)]),
            new FeatureView("pair", ["driver", "customer"], "pairs", PairTtl, [new("affinity", FeatureDtype.Float64)]),
        ],
        [],
        []);

    /// <summary>One generated source row: keys, times (Unix ms) and the feature values by name (null: an empty cell).</summary>
    private sealed record Row(long Driver, long? Customer, long Event, long Created, Dictionary<string, object?> Values);

    private sealed class Data
    {
        public List<Row> DriverRows { get; } = [];

        public List<Row> PairRows { get; } = [];

        /// <summary>Feast's rule by hand: the value and the status an online read must give.</summary>
        public (object? Value, OnlineValueStatus Status) Expect(FeatureReference reference, int driver, long customer, long atMs)
        {
            var (rows, ttl) = reference.View switch
            {
                "driver_daily" => (DriverRows.Where(r => r.Driver == driver), DailyTtl),
                "driver_total" => (DriverRows.Where(r => r.Driver == driver), TimeSpan.Zero),
                _ => (PairRows.Where(r => r.Driver == driver && r.Customer == customer), PairTtl),
            };
            var past = rows.Where(r => r.Event <= atMs).ToList();
            if (past.Count == 0)
            {
                return (null, OnlineValueStatus.NotFound);
            }

            var ttlMs = (long)ttl.TotalMilliseconds;
            var valid = past.Where(r => ttlMs == 0 || r.Event >= atMs - ttlMs).ToList();
            if (valid.Count == 0)
            {
                return (null, OnlineValueStatus.Expired);
            }

            var latest = valid.OrderByDescending(r => r.Event).ThenByDescending(r => r.Created).First();
            var value = latest.Values[reference.Feature];
            return (value, value is null ? OnlineValueStatus.NullValue : OnlineValueStatus.Present);
        }
    }

    /// <summary>Random rows from a fixed seed plus the edge cases, written to drivers.csv and pairs.csv.</summary>
    private Data Generate(bool parquet = false)
    {
        var random = new Random(15);
        var data = new Data();
        var span = (long)TimeSpan.FromDays(10).TotalMilliseconds;
        var o = Origin.ToUnixTimeMilliseconds();
        long T(int k) => ReadTimes[k - 1].ToUnixTimeMilliseconds();
        var day = (long)DailyTtl.TotalMilliseconds;
        var hour = 3_600_000L;

        Dictionary<string, object?> DriverValues(bool nulls = false) => new()
        {
            ["conv_rate"] = nulls ? null : Math.Round(random.NextDouble(), 3),
            ["trips"] = (long)random.Next(0, 1000),
            ["label"] = nulls ? null : "l" + random.Next(0, 100).ToString(CultureInfo.InvariantCulture),
            ["active"] = nulls ? null : random.Next(2) == 1,
            ["last_seen"] = nulls ? null : o + random.NextInt64(span),
        };

        void Driver(long driver, long ev, long created, Dictionary<string, object?>? values = null) =>
            data.DriverRows.Add(new Row(driver, null, ev, created, values ?? DriverValues()));

        // Drivers 7..39: random rows over the ten days, sparse enough that some expire under the 1d TTL.
        for (var d = 7; d < Drivers; d++)
        {
            var n = random.Next(2, 10);
            for (var i = 0; i < n; i++)
            {
                var ev = o + random.NextInt64(span);
                Driver(d, ev, ev + random.NextInt64(hour), DriverValues(nulls: random.Next(8) == 0));
            }
        }

        // Driver 1: a tie on event time at T2 - 2h broken by the created time (the later-created wins),
        // and a row created much later but with an earlier event time, which must not win.
        Driver(1, T(2) - 2 * hour, T(2) - hour, DriverValues());
        Driver(1, T(2) - 2 * hour, T(2) - hour + 1, DriverValues());
        Driver(1, T(2) - 3 * hour, T(6) + day, DriverValues());
        // Driver 2: a row exactly at T3 (inclusive), after a row an hour earlier; and a row 1 ms after T4, not yet visible at T4.
        Driver(2, T(3) - hour, T(3) - hour, DriverValues());
        Driver(2, T(3), T(3), DriverValues());
        Driver(2, T(4) + 1, T(4) + 1, DriverValues());
        // Driver 3: exactly at T4 - ttl: still valid at T4 (inclusive lower bound).
        Driver(3, T(4) - day, T(4) - day, DriverValues());
        // Driver 4: 1 ms older than T4 - ttl: expired in driver_daily at T4, present in driver_total (unbounded).
        Driver(4, T(4) - day - 1, T(4) - day - 1, DriverValues());
        // Driver 5: a stored null, and a tie where the later-created row holds the nulls.
        Driver(5, T(1) - hour, T(1) - hour, DriverValues(nulls: true));
        Driver(5, T(5) - hour, T(5) - hour, DriverValues());
        Driver(5, T(5) - hour, T(5) - hour + 5, DriverValues(nulls: true));
        // Driver 6: one row at the very start: expired in driver_daily from T1 on, present forever in driver_total.
        Driver(6, o, o, DriverValues());
        // Driver 40: no rows at all.

        // Pairs (driver, customer): random rows for some pairs, including ones the entity rows ask for, plus edge cases.
        void Pair(long driver, long customer, long ev, long created, double? affinity) =>
            data.PairRows.Add(new Row(driver, customer, ev, created, new Dictionary<string, object?> { ["affinity"] = affinity }));
        for (var d = 7; d < Drivers; d++)
        {
            var n = random.Next(0, 12);
            for (var i = 0; i < n; i++)
            {
                var ev = o + random.NextInt64(span);
                var customer = random.Next(3) == 0 ? random.Next(1, 5) : CustomerOf(d);
                Pair(d, customer, ev, ev, random.Next(10) == 0 ? null : Math.Round(random.NextDouble() * 10, 2));
            }
        }

        var six = (long)PairTtl.TotalMilliseconds;
        Pair(1, CustomerOf(1), T(3) - six, T(3), 1.5);          // exactly at the lower bound at T3
        Pair(2, CustomerOf(2), T(3) - six - 1, T(3), 2.5);      // 1 ms too old at T3
        Pair(3, CustomerOf(3), T(2), T(2), 3.5);                // tie at T2 ...
        Pair(3, CustomerOf(3), T(2), T(2) + 1, 4.5);            // ... the later-created wins
        Pair(3, CustomerOf(3) + 1, T(2), T(2) + 9, 9.5);        // another customer of driver 3: not asked for
        Pair(4, CustomerOf(4), T(5), T(5), null);               // a stored null exactly at T5

        WriteSource(Path.Combine(_dir, "drivers.csv"), "driver_id,event_ts,created,conv_rate,trips,label,active,last_seen", data.DriverRows, r =>
            $"{r.Driver},{Ts(r.Event)},{Ts(r.Created)},{Cell(r.Values["conv_rate"])},{Cell(r.Values["trips"])},{Cell(r.Values["label"])},{Cell(r.Values["active"])},{(r.Values["last_seen"] is long ms ? Ts(ms) : "")}");
        WriteSource(Path.Combine(_dir, "pairs.csv"), "driver_id,customer_id,event_ts,created,affinity", data.PairRows, r =>
            $"{r.Driver},{r.Customer},{Ts(r.Event)},{Ts(r.Created)},{Cell(r.Values["affinity"])}");
        if (parquet)
        {
            ToParquet();
        }

        return data;
    }

    private void ToParquet()
    {
        static string Naive(string column) => $"strptime(substr({column}, 1, 23), '%Y-%m-%d %H:%M:%S.%g')";
        using var duck = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var cmd = duck.CreateCommand();
        var drivers = Path.Combine(_dir, "drivers");
        var pairs = Path.Combine(_dir, "pairs");
        cmd.CommandText =
            $"COPY (SELECT CAST(driver_id AS BIGINT) AS driver_id, {Naive("event_ts")} AS event_ts, CAST({Naive("created")} AS TIMESTAMP_MS) AS created, "
            + "CAST(NULLIF(conv_rate, '') AS DOUBLE) AS conv_rate, CAST(trips AS INTEGER) AS trips, NULLIF(label, '') AS label, CAST(NULLIF(active, '') AS BOOLEAN) AS active, "
            + $"CASE WHEN last_seen = '' OR last_seen IS NULL THEN NULL ELSE {Naive("last_seen")} END AS last_seen "
            + $"FROM read_csv('{drivers}.csv', all_varchar = true)) TO '{drivers}.parquet' (FORMAT PARQUET);"
            + $"COPY (SELECT CAST(driver_id AS BIGINT) AS driver_id, CAST(customer_id AS INTEGER) AS customer_id, {Naive("event_ts")} AS event_ts, {Naive("created")} AS created, "
            + $"CAST(NULLIF(affinity, '') AS DOUBLE) AS affinity FROM read_csv('{pairs}.csv', all_varchar = true)) TO '{pairs}.parquet' (FORMAT PARQUET);";
        cmd.ExecuteNonQuery();
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void WriteSource(string path, string header, List<Row> rows, Func<Row, string> line)
    {
        // Shuffled so that file order says nothing about time.
        var shuffled = rows.OrderBy(r => ((r.Event * 31) + r.Created + (r.Driver * 7919)) % 1_000_003).ToList();
        File.WriteAllLines(path, [header, .. shuffled.Select(line)]);
    }
}
