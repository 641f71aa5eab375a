using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>
/// <c>keel features</c> as a user runs it on the embedded store (<c>--data-dir</c>): plan, apply,
/// list, show --yaml (which applies back unchanged), a schema change making version 2, versions,
/// and a bad file refused with every problem named, exit code 2.
/// </summary>
public sealed class FeaturesCliTests : IDisposable
{
    private readonly string _dataDir = TempDirs.Create("keel-features-cli");
    private readonly string _repo = TempDirs.Create("keel-features-repo");

    public void Dispose()
    {
        TempDirs.TryDelete(_dataDir);
        TempDirs.TryDelete(_repo);
    }

    [Fact]
    public async Task Definitions_are_planned_applied_listed_shown_and_versioned()
    {
        var file = Write("features.yaml", Driver("Float32"));
        var (code, stdout, stderr) = await KeelAsync("features", "plan", file);
        Assert.True(code == 0, stderr);
        Assert.Contains("driver_hourly_stats", stdout, StringComparison.Ordinal);
        Assert.Contains("create", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = await KeelAsync("features", "apply", file, "--yes");
        Assert.True(code == 0, stderr);
        Assert.Contains("revision 1", stdout, StringComparison.Ordinal);

        var catalog = await JsonAsync("features", "list");
        Assert.Equal(1L, (long)catalog["revision"]!);
        var source = catalog["objects"]!.AsArray().Single(o => (string?)o!["kind"] == "source")!;
        Assert.Equal(Path.Combine(_repo, "data", "driver_stats.parquet"), (string?)source["source"]!["path"]);

        (code, stdout, stderr) = await KeelAsync("features", "show", "--yaml");
        Assert.True(code == 0, stderr);
        var shown = Write("shown.yaml", stdout);
        (code, stdout, _) = await KeelAsync("features", "apply", shown, "--yes");
        Assert.Equal(0, code);
        Assert.Contains("Nothing to change", stdout, StringComparison.Ordinal);

        var plan = await JsonAsync("features", "plan", Write("features.yaml", Driver("Float64")));
        var item = plan["items"]!.AsArray().Single(i => (string?)i!["name"] == "driver_hourly_stats")!;
        Assert.Equal(("new_version", 1, 2), ((string?)item["action"], (int)item["version_before"]!, (int)item["version_after"]!));
        Assert.Contains("acc_rate Float32 → Float64", (string?)item["reason"], StringComparison.Ordinal);
        (code, _, stderr) = await KeelAsync("features", "apply", file, "--yes");
        Assert.True(code == 0, stderr);

        var versions = await JsonAsync("features", "versions", "driver_hourly_stats");
        Assert.Equal([1, 2], versions["versions"]!.AsArray().Select(v => (int)v!["version"]!));
        (code, stdout, _) = await KeelAsync("features", "show", "driver_hourly_stats");
        Assert.Equal(0, code);
        Assert.Contains("v2", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_file_is_refused_naming_each_problem()
    {
        var file = Write("bad.yaml", Driver("Float32").Replace("ttl: 1d", "ttl: 10x", StringComparison.Ordinal).Replace("entities: [driver]", "entities: [drivr]", StringComparison.Ordinal));
        var (code, _, stderr) = await KeelAsync("features", "apply", file, "--yes");
        Assert.Equal(6, code);
        Assert.Contains("feature_views[0].ttl: '10x' is not a duration (use 10d, 12h, 30m, 45s or 0)", stderr, StringComparison.Ordinal);
        Assert.Contains("feature_views[0].entities[0]: no entity named 'drivr'", stderr, StringComparison.Ordinal);
        Assert.Equal(0L, (long)(await JsonAsync("features", "list"))["revision"]!);
    }

    private static string Driver(string accRateType) => $$"""
        entities:
          - {name: driver, join_keys: [driver_id]}
        sources:
          - {name: driver_stats_source, path: data/driver_stats.parquet, timestamp_field: event_timestamp, created_timestamp_column: created}
        feature_views:
          - name: driver_hourly_stats
            entities: [driver]
            source: driver_stats_source
            ttl: 1d
            features:
              - {name: conv_rate, dtype: Float32}
              - {name: acc_rate, dtype: {{accRateType}}}
              - {name: avg_daily_trips, dtype: Int64}
        on_demand_feature_views:
          - name: transformed_conv_rate
            sources: [driver_hourly_stats]
            request_fields: [{name: val_to_add, dtype: Int64}]
            features:
              - {name: conv_rate_plus_val, dtype: Float64, expression: "conv_rate + val_to_add"}
        feature_services:
          - name: driver_activity
            features: ["driver_hourly_stats:conv_rate", "driver_hourly_stats:avg_daily_trips", "transformed_conv_rate:conv_rate_plus_val"]
        """;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_repo, name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<(int Code, string Stdout, string Stderr)> KeelAsync(params string[] args)
    {
        var result = await KeelCli.RunAsync([.. args, "--data-dir", _dataDir]);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stdout + result.Stderr, StringComparison.Ordinal);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }

    private async Task<JsonNode> JsonAsync(params string[] args)
    {
        var (code, stdout, stderr) = await KeelAsync([.. args, "--output", "json"]);
        Assert.True(code == 0, $"keel {string.Join(' ', args)} exited {code}: {stderr}\n{stdout}");
        return JsonNode.Parse(stdout)!;
    }
}
