using Keel.Core.Features;

namespace Keel.Data.Tests.Features;

/// <summary>
/// The definitions over the files of Features/reference (written by make_reference.py, whose
/// docstring lists the same definitions).
/// </summary>
internal static class ReferenceFeatures
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Features", "reference");

    public static string File(string name) => Path.Combine(Dir, name);

    public static FeatureDefinitions Definitions(string extension = ".csv", string? dir = null)
    {
        string Path_(string name) => Path.Combine(dir ?? Dir, name + extension);
        return new FeatureDefinitions(
            [new FeatureEntity("driver", ["driver_id"]), new FeatureEntity("customer", ["customer_id"])],
            [
                new FeatureSource("drivers", Path_("drivers"), "event_ts", "created"),
                new FeatureSource("customers", Path_("customers"), "event_ts", null, new Dictionary<string, string> { ["cust"] = "customer_id", ["cust_age"] = "age" }),
                new FeatureSource("global", Path_("global"), "event_ts"),
                new FeatureSource("pairs", Path_("pairs"), "event_ts", "created"),
            ],
            [
                new FeatureView("driver_hourly", ["driver"], "drivers", TimeSpan.FromHours(2), [new("conv_rate", FeatureDtype.Float64), new("trips", FeatureDtype.Int64)]),
                new FeatureView("driver_daily", ["driver"], "drivers", TimeSpan.FromDays(1), [new("conv_rate", FeatureDtype.Float64)]),
                new FeatureView("customer", ["customer"], "customers", TimeSpan.Zero, [new("age", FeatureDtype.Int64), new("segment", FeatureDtype.String)]),
                new FeatureView("global_stats", [], "global", TimeSpan.FromDays(1), [new("total", FeatureDtype.Float64)]),
                new FeatureView("pair", ["driver", "customer"], "pairs", TimeSpan.FromHours(1), [new("affinity", FeatureDtype.Float64)]),
            ],
            [],
            [new FeatureService("training", [new("customer", "age"), new("driver_hourly", "conv_rate")])]);
    }

    /// <summary>The request of expected_plain.csv, in its order (views interleaved on purpose).</summary>
    public static IReadOnlyList<FeatureReference> RequestPlain { get; } =
    [
        new("customer", "age"),
        new("driver_hourly", "conv_rate"),
        new("global_stats", "total"),
        new("driver_hourly", "trips"),
        new("pair", "affinity"),
        new("customer", "segment"),
    ];

    /// <summary>The request of expected_full.csv: the plain one and a second view of the same source with a longer TTL.</summary>
    public static IReadOnlyList<FeatureReference> RequestFull { get; } = [.. RequestPlain, new("driver_daily", "conv_rate")];

    /// <summary>A small CSV reader for the reference files (no quoting: none of them needs it).</summary>
    public static (string[] Header, List<string[]> Rows) ReadCsv(string path)
    {
        var lines = System.IO.File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        return (lines[0].Split(','), [.. lines.Skip(1).Select(l => l.Split(','))]);
    }
}
