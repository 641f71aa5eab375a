using System.Text.Json.Nodes;
using Keel.Client;
using Keel.Core.Tracking;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Data;

/// <summary>
/// The real `keel data` commands, on an embedded data dir and against a running server (where the
/// content travels through the artifact proxy): versions on change, show, get, diff, alias, list,
/// validate, the gate's exit code, bad input, and lineage from a run that read a dataset version.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DataCliTests(ServerFixture fixture)
{
    private const string FailingSuite = """{"name": "gate", "expectations": [{"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1000}}]}""";
    private const string PassingSuite = """{"name": "rows", "expectations": [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "alcohol"}}, {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 100}}]}""";

    private static string Wine => Path.Combine(AppContext.BaseDirectory, "data", "wine.csv");

    [Fact]
    public async Task Data_commands_version_and_read_back_a_table_on_a_data_dir()
    {
        var work = TempDirs.Create("keel-data-cli");
        try
        {
            await RunFlowAsync(work, ["--data-dir", Path.Combine(work, "keel")]);
        }
        finally
        {
            TempDirs.TryDelete(work);
        }
    }

    [Fact]
    public async Task Data_commands_version_and_read_back_a_table_through_a_server()
    {
        var work = TempDirs.Create("keel-data-cli-server");
        try
        {
            // A private data dir for the CLI's caches, so nothing can come from a local store.
            await RunFlowAsync(work, ["--tracking-uri", fixture.Server.BaseUri.ToString(), "--data-dir", Path.Combine(work, "client")]);
        }
        finally
        {
            TempDirs.TryDelete(work);
        }
    }

    [Fact]
    public async Task Bad_input_is_named_with_a_non_zero_exit_and_no_stack_trace()
    {
        var work = TempDirs.Create("keel-data-cli-bad");
        try
        {
            string[] where = ["--data-dir", Path.Combine(work, "keel")];
            var file = Path.Combine(work, "wine.csv");
            File.Copy(Wine, file);
            var unknown = Path.Combine(work, "unknown.json");
            File.WriteAllText(unknown, """{"name": "x", "expectations": [{"type": "expect_the_moon_to_be_blue", "kwargs": {}}]}""");

            await AssertRefusedAsync(["data", "add", Path.Combine(work, "absent.csv"), "--name", "wine", .. where], "absent.csv");
            await AssertRefusedAsync(["data", "add", file, "--name", "wine", "--suite", unknown, .. where], "expect_the_moon_to_be_blue");
            await AssertRefusedAsync(["data", "add", file, "--name", "wine", "--suite", Path.Combine(work, "no-suite.json"), .. where], "no-suite.json");
            await AssertRefusedAsync(["data", "add", file, "--name", "bad name/with slash", .. where], "bad name/with slash");
            await AssertRefusedAsync(["data", "validate", file, "--suite", unknown, .. where], "expect_the_moon_to_be_blue");
            await AssertRefusedAsync(["data", "show", "datasets:/x/0", .. where], "datasets:/x/0");
            await AssertRefusedAsync(["data", "get", "datasets:/x/0", "--out", Path.Combine(work, "x"), .. where], "datasets:/x/0");
            await AssertRefusedAsync(["data", "diff", "datasets:/x/0", "datasets:/x/1", .. where], "datasets:/x/0");
            await AssertRefusedAsync(["data", "show", "datasets:/nothing-here/1", .. where], "nothing-here");
            await AssertRefusedAsync(["data", "validate", Path.Combine(work, "absent.csv"), "--suite", unknown, .. where], "expect_the_moon_to_be_blue");

            // None of it created anything.
            var list = await JsonAsync(["data", "list", .. where]);
            Assert.Empty(list["datasets"]?.AsArray() ?? []);
        }
        finally
        {
            TempDirs.TryDelete(work);
        }
    }

    [Fact]
    public async Task Data_add_emits_openlineage_events_to_the_configured_file()
    {
        var work = TempDirs.Create("keel-data-cli-openlineage");
        try
        {
            string[] where = ["--data-dir", Path.Combine(work, "keel")];
            var events = Path.Combine(work, "events.jsonl");
            var env = new Dictionary<string, string?> { ["KEEL_OPENLINEAGE_FILE"] = events, ["OPENLINEAGE_NAMESPACE"] = "cli-test" };
            var suite = Path.Combine(work, "failing.json");
            File.WriteAllText(suite, FailingSuite);

            var (code, _, stderr) = await KeelCli.RunAsync(["data", "add", Wine, "--name", "wine", .. where], env);
            Assert.True(code == 0, stderr);
            (code, _, stderr) = await KeelCli.RunAsync(["data", "add", Wine, "--name", "gated", "--suite", suite, .. where], env);
            Assert.True(code == 9, $"a refused add exited {code}: {stderr}");

            var lines = File.ReadAllLines(events).Select(l => JsonNode.Parse(l)!).ToList();
            Assert.Equal(["START", "COMPLETE", "START", "FAIL"], lines.Select(e => (string)e["eventType"]!));
            var output = Assert.Single(lines[1]["outputs"]!.AsArray())!;
            Assert.Equal(("cli-test", "wine"), ((string)output["namespace"]!, (string)output["name"]!));
            Assert.Empty(lines[3]["outputs"]!.AsArray());
        }
        finally
        {
            TempDirs.TryDelete(work);
        }
    }

    [Fact]
    public async Task Lineage_of_a_dataset_version_shows_the_run_that_read_it()
    {
        var work = TempDirs.Create("keel-data-cli-lineage");
        try
        {
            var uri = fixture.Server.BaseUri.ToString();
            string[] where = ["--tracking-uri", uri, "--data-dir", Path.Combine(work, "client")];
            var name = "lineage-cli-" + Guid.NewGuid().ToString("N")[..8];
            var added = await JsonAsync(["data", "add", Wine, "--name", name, .. where]);
            var version = (string)added["version"]!["version"]!.ToString();
            var datasetUri = $"datasets:/{name}/{version}";

            using var client = new KeelClient(fixture.Server.BaseUri);
            var run = await client.StartRunAsync(await client.GetOrCreateExperimentAsync("data-cli-lineage"), "reads " + name);
            var digest = (string)added["version"]!["manifest_digest"]!;
            await client.LogInputsAsync(run.Info.RunId, [new DatasetInput(new Dataset(name, digest[..32], "keel", datasetUri, null, null), [new Tag("mlflow.data.context", "training")])]);

            var graph = await JsonAsync(["lineage", datasetUri, "--format", "json", .. where]);
            Assert.Equal(datasetUri, (string)graph["root"]!);
            var edge = Assert.Single(graph["edges"]!.AsArray())!;
            Assert.Equal((datasetUri, $"runs:/{run.Info.RunId}", "input"), ((string)edge["from"]!, (string)edge["to"]!, (string)edge["relation"]!));

            // And the other way, from the run.
            var up = await JsonAsync(["lineage", $"runs:/{run.Info.RunId}", "--direction", "upstream", "--format", "json", .. where]);
            Assert.Contains(up["edges"]!.AsArray(), e => (string)e!["from"]! == datasetUri);

            var (code, stdout, stderr) = await KeelCli.RunAsync(["lineage", datasetUri, "--format", "dot", .. where]);
            Assert.True(code == 0, stderr);
            Assert.Contains("digraph", stdout, StringComparison.Ordinal);
            await AssertRefusedAsync(["lineage", datasetUri, "--format", "png", .. where], "png");
        }
        finally
        {
            TempDirs.TryDelete(work);
        }
    }

    private static async Task RunFlowAsync(string work, string[] where)
    {
        var name = "wine-" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(work, "wine.csv");
        File.Copy(Wine, file);
        var original = File.ReadAllBytes(file);

        var first = await JsonAsync(["data", "add", file, "--name", name, "--description", "UCI wine", .. where]);
        Assert.True((bool)first["created"]!);
        Assert.False((bool)first["refused"]!);
        Assert.Equal((1L, "csv", 178L), ((long)first["version"]!["version"]!, (string)first["version"]!["format"]!, (long)first["version"]!["row_count"]!));

        var again = await JsonAsync(["data", "add", file, "--name", name, .. where]);
        Assert.False((bool)again["created"]!);
        Assert.Equal(1L, (long)again["version"]!["version"]!);

        var lines = File.ReadAllLines(file).ToList();
        lines.Add(lines[1]);
        File.WriteAllLines(file, lines);
        var second = await JsonAsync(["data", "add", file, "--name", name, .. where]);
        Assert.True((bool)second["created"]!);
        Assert.Equal((2L, 179L), ((long)second["version"]!["version"]!, (long)second["version"]!["row_count"]!));

        var versions = await JsonAsync(["data", "versions", name, .. where]);
        Assert.Equal([2L, 1L], versions["versions"]!.AsArray().Select(v => (long)v!["version"]!));

        var show = await JsonAsync(["data", "show", name, .. where]);
        Assert.Equal(2L, (long)show["version"]!["version"]!);
        Assert.NotNull(show["version"]!["profile"]);
        var showV1 = await JsonAsync(["data", "show", $"datasets:/{name}/1", .. where]);
        Assert.Equal(178L, (long)showV1["version"]!["row_count"]!);

        var got = Path.Combine(work, "got.csv");
        var (code, _, stderr) = await KeelCli.RunAsync(["data", "get", $"datasets:/{name}/1", "--out", got, .. where]);
        Assert.True(code == 0, stderr);
        Assert.Equal(original, File.ReadAllBytes(got));

        var diff = await JsonAsync(["data", "diff", $"datasets:/{name}/1", $"datasets:/{name}@latest", .. where]);
        Assert.Equal($"datasets:/{name}/2", (string)diff["to"]!);
        Assert.Equal("wine.csv", (string)Assert.Single(diff["files"]!["changed"]!.AsArray())!["path"]!);
        Assert.Equal(1L, (long)diff["rows"]!["delta"]!);

        (code, _, stderr) = await KeelCli.RunAsync(["data", "alias", name, "golden", "1", .. where]);
        Assert.True(code == 0, stderr);
        var golden = await JsonAsync(["data", "show", $"datasets:/{name}@golden", .. where]);
        Assert.Equal(1L, (long)golden["version"]!["version"]!);
        var gotGolden = Path.Combine(work, "golden.csv");
        (code, _, stderr) = await KeelCli.RunAsync(["data", "get", $"datasets:/{name}@golden", "--out", gotGolden, .. where]);
        Assert.True(code == 0, stderr);
        Assert.Equal(original, File.ReadAllBytes(gotGolden));

        var list = await JsonAsync(["data", "list", .. where]);
        var listed = Assert.Single(list["datasets"]!.AsArray(), d => (string)d!["name"]! == name)!;
        Assert.Equal(2L, (long)listed["latest_version"]!);
        Assert.Equal("UCI wine", (string?)listed["description"]);

        // Validation: exit 0 when every expectation holds, 9 when one fails; JSON in GE's shape.
        var passing = Path.Combine(work, "passing.json");
        File.WriteAllText(passing, PassingSuite);
        var failing = Path.Combine(work, "failing.json");
        File.WriteAllText(failing, FailingSuite);
        var ok = await JsonAsync(["data", "validate", $"datasets:/{name}/1", "--suite", passing, .. where]);
        Assert.True((bool)ok["success"]!);
        Assert.Equal(2L, (long)ok["statistics"]!["evaluated_expectations"]!);
        (code, var stdout, stderr) = await KeelCli.RunAsync(["data", "validate", $"datasets:/{name}@latest", "--suite", failing, "--output", "json", .. where]);
        Assert.True(code == 9, $"validate of a failing suite exited {code}: {stderr}");
        var failed = JsonNode.Parse(stdout)!;
        Assert.False((bool)failed["success"]!);
        Assert.Equal(179L, (long)failed["results"]![0]!["result"]!["observed_value"]!);

        // The gate: a failing suite refuses the add (exit 9, a check failed) and records nothing.
        lines.Add(lines[2]);
        File.WriteAllLines(file, lines);
        var report = Path.Combine(work, "refused.html");
        (code, stdout, stderr) = await KeelCli.RunAsync(["data", "add", file, "--name", name, "--suite", failing, "--report", report, "--output", "json", .. where]);
        Assert.True(code == 9, $"a refused add exited {code}: {stderr}");
        var refused = JsonNode.Parse(stdout)!;
        Assert.True((bool)refused["refused"]!);
        Assert.Null(refused["version"]);
        Assert.False((bool)refused["validation"]!["success"]!);
        Assert.Contains("expect_table_row_count_to_be_between", File.ReadAllText(report), StringComparison.Ordinal);
        (code, _, stderr) = await KeelCli.RunAsync(["data", "add", file, "--name", name, "--suite", failing, .. where]);
        Assert.True(code == 9, $"a refused add (table output) exited {code}: {stderr}");
        Assert.Equal(2, (await JsonAsync(["data", "versions", name, .. where]))["versions"]!.AsArray().Count);

        // A passing suite lets it in and stays on the dataset.
        var third = await JsonAsync(["data", "add", file, "--name", name, "--suite", passing, .. where]);
        Assert.Equal(3L, (long)third["version"]!["version"]!);
        Assert.True((bool)third["validation"]!["success"]!);
        var kept = Assert.Single((await JsonAsync(["data", "list", .. where]))["datasets"]!.AsArray(), d => (string)d!["name"]! == name)!;
        Assert.Equal("rows", (string)JsonNode.Parse((string)kept["suite"]!)!["name"]!);

        // The kept suite gates the next add without --suite: a null alcohol is refused.
        lines.Add("," + lines[1][(lines[1].IndexOf(',', StringComparison.Ordinal) + 1)..]);
        File.WriteAllLines(file, lines);
        (code, stdout, stderr) = await KeelCli.RunAsync(["data", "add", file, "--name", name, "--output", "json", .. where]);
        Assert.True(code == 9, $"an add refused by the kept suite exited {code}: {stderr}");
        Assert.Equal("expect_column_values_to_not_be_null", (string)JsonNode.Parse(stdout)!["validation"]!["results"]![0]!["expectation_config"]!["type"]!);
        Assert.Equal(3, (await JsonAsync(["data", "versions", name, .. where]))["versions"]!.AsArray().Count);
    }

    private static async Task<JsonNode> JsonAsync(string[] args)
    {
        var (code, stdout, stderr) = await KeelCli.RunAsync([.. args, "--output", "json"]);
        Assert.True(code == 0, $"keel {string.Join(' ', args)} exited {code}: {stderr}");
        return JsonNode.Parse(stdout) ?? throw new InvalidOperationException($"keel {string.Join(' ', args)} printed no JSON: {stdout}");
    }

    private static async Task AssertRefusedAsync(string[] args, string named)
    {
        var (code, stdout, stderr) = await KeelCli.RunAsync(args);
        var all = stdout + stderr;
        Assert.True(code != 0, $"keel {string.Join(' ', args)} exited 0: {all}");
        Assert.Contains(named, all, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", all, StringComparison.Ordinal);
    }
}
