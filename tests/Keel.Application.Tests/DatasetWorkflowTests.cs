using System.Text.Json.Nodes;
using Keel.Application.Data;
using Keel.Application.OpenLineage;
using Keel.Artifacts;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Data.Validation;
using Keel.Storage.Sqlite;

namespace Keel.Application.Tests;

/// <summary>
/// The dataset use cases over a real SQLite store and a local artifact store: versions only on
/// change, profiles, diffs, the suite gate (refused content stores nothing), checkout, get,
/// validation and the OpenLineage events of each.
/// </summary>
public sealed class DatasetWorkflowTests : IAsyncLifetime
{
    private const string FailingSuite = """{"name": "gate", "expectations": [{"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1000}}]}""";
    private const string PassingSuite = """{"name": "gate", "expectations": [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "alcohol"}}, {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 100, "max_value": 200}}]}""";

    private readonly string _dir = Directory.CreateTempSubdirectory("keel-dataset-workflow").FullName;
    private readonly SqliteDatasetStore _store;
    private readonly string _artifacts;
    private readonly string _events;
    private readonly DatasetWorkflow _workflow;

    public DatasetWorkflowTests()
    {
        _store = new SqliteDatasetStore(Path.Combine(_dir, "keel.db"));
        _artifacts = Path.Combine(_dir, "artifacts");
        Directory.CreateDirectory(_artifacts);
        _events = Path.Combine(_dir, "openlineage.jsonl");
        var artifactStore = new LocalArtifactStore(_artifacts);
        _workflow = new DatasetWorkflow(
            new DatasetService(_store, artifactStore), artifactStore, Path.Combine(_dir, "cache"), new OpenLineageEmitter(new OpenLineageSettings(null, _events, null, "keel-test")));
    }

    private static string Wine => Path.Combine(AppContext.BaseDirectory, "data", "wine.csv");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _workflow.DisposeAsync();
        _store.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Checkouts are read-only; a leftover temp dir is harmless.
        }
    }

    [Fact]
    public async Task Adding_a_csv_records_version_1_with_its_profile_schema_and_row_count()
    {
        var file = CopyWine("wine.csv");
        var outcome = await AddAsync(file, "wine");

        Assert.True(outcome.Created);
        Assert.False(outcome.Refused);
        var v = outcome.Version!;
        Assert.Equal((1L, "csv", 1L, new FileInfo(file).Length, 178L), (v.Version, v.Format, v.FileCount, v.SizeBytes, v.RowCount));
        Assert.Equal(178, outcome.Profile!.RowCount);
        Assert.Equal(14, outcome.Profile.Columns.Count);

        var stored = await _store.FindVersionAsync("wine", 1, default);
        Assert.NotNull(stored);
        var schema = JsonNode.Parse(stored.Schema!)!.AsArray();
        Assert.Equal("alcohol", (string)schema[0]!["name"]!);
        Assert.Equal("class", (string)schema[13]!["name"]!);
        Assert.Equal(178, (long)JsonNode.Parse(stored.Profile!)!["row_count"]!);
        Assert.Equal(Path.GetFullPath(file), stored.Source);
    }

    [Fact]
    public async Task Re_adding_unchanged_content_records_nothing_and_skips_the_profile()
    {
        var file = CopyWine("wine.csv");
        var first = await AddAsync(file, "wine");
        var again = await AddAsync(file, "wine");

        Assert.False(again.Created);
        Assert.False(again.Refused);
        Assert.Equal(first.Version!.Version, again.Version!.Version);
        Assert.Null(again.Profile);
        Assert.Null((await _store.FindDatasetAsync("wine", default))!.Description);
        Assert.Single((await _store.ListVersionsAsync("wine", 100, null, default)).Items);
        Assert.Equal(1, (await _store.FindDatasetAsync("wine", default))!.LatestVersion);

        // A description given with unchanged content is still set on the dataset.
        Assert.False((await _workflow.AddAsync(file, "wine", "UCI wine", "tester", null, default)).Created);
        Assert.Equal("UCI wine", (await _store.FindDatasetAsync("wine", default))!.Description);

        // The same bytes from another folder (same file name) are the same content too.
        Assert.False((await AddAsync(CopyWine("wine.csv"), "wine")).Created);
    }

    [Fact]
    public async Task A_changed_row_makes_version_2_and_the_diff_reports_the_file_and_the_rows()
    {
        var file = CopyWine("wine.csv");
        await AddAsync(file, "wine");
        var lines = File.ReadAllLines(file);
        lines[5] = lines[5].Replace("class_0", "class_1", StringComparison.Ordinal);
        File.WriteAllLines(file, lines);
        var second = await AddAsync(file, "wine");
        File.AppendAllLines(file, [lines[1]]);
        var third = await AddAsync(file, "wine");

        Assert.Equal((true, 2L), (second.Created, second.Version!.Version));
        Assert.Equal((true, 3L, 179L), (third.Created, third.Version!.Version, third.Version.RowCount));

        var diff = await _workflow.DiffAsync("datasets:/wine/1", "datasets:/wine/2", default);
        var changed = Assert.Single(diff.Files.Changed);
        Assert.Equal("wine.csv", changed.Path);
        Assert.NotEqual(changed.OldDigest, changed.NewDigest);
        Assert.Empty(diff.Files.Added);
        Assert.Empty(diff.Files.Removed);
        Assert.Equal(0, diff.RowDelta);
        Assert.Empty(diff.AddedColumns);
        Assert.Empty(diff.RemovedColumns);
        Assert.Empty(diff.ChangedTypes);

        var grown = await _workflow.DiffAsync("datasets:/wine/1", "datasets:/wine@latest", default);
        Assert.Equal(1, grown.RowDelta);
        Assert.Single(grown.Files.Changed);

        var same = await _workflow.DiffAsync("datasets:/wine/2", "datasets:/wine/2", default);
        Assert.True(same.Files.IsIdentical);
        Assert.Equal(1, same.Files.UnchangedCount);
    }

    [Fact]
    public async Task A_directory_of_mixed_files_is_versioned_as_files_without_a_profile_and_paths_inside_it_check_out()
    {
        var folder = Path.Combine(_dir, "mixed");
        Directory.CreateDirectory(Path.Combine(folder, "docs"));
        File.Copy(Wine, Path.Combine(folder, "wine.csv"));
        File.WriteAllText(Path.Combine(folder, "docs", "notes.txt"), "collected in 1991\n");
        File.WriteAllBytes(Path.Combine(folder, "blob.bin"), [0, 1, 2, 3, 255]);

        var outcome = await AddAsync(folder, "mixed");
        var v = outcome.Version!;
        Assert.Equal(("files", 3L, (long?)null, (string?)null), (v.Format, v.FileCount, v.RowCount, v.Profile));
        Assert.Null(outcome.Profile);

        var (notes, version) = await _workflow.CheckoutAsync("datasets:/mixed@latest/docs/notes.txt", null, default);
        Assert.Equal(1, version.Version);
        Assert.Equal("collected in 1991\n", File.ReadAllText(notes));
        var (docs, _) = await _workflow.CheckoutAsync("datasets:/mixed/1/docs", null, default);
        Assert.True(Directory.Exists(docs));
        Assert.Equal(["notes.txt"], Directory.GetFiles(docs).Select(Path.GetFileName));
        var missing = await Assert.ThrowsAsync<KeelException>(() => _workflow.CheckoutAsync("datasets:/mixed/1/docs/nope.txt", null, default));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);
        Assert.Contains("docs/nope.txt", missing.Message, StringComparison.Ordinal);

        // A file added to the folder is an added file of the next version.
        File.WriteAllText(Path.Combine(folder, "docs", "more.txt"), "x");
        await AddAsync(folder, "mixed");
        var diff = await _workflow.DiffAsync("datasets:/mixed/1", "datasets:/mixed/2", default);
        Assert.Equal(["docs/more.txt"], diff.Files.Added.Select(f => f.Path));
        Assert.Empty(diff.Files.Changed);
        Assert.Equal(3, diff.Files.UnchangedCount);
        Assert.Null(diff.RowDelta);
    }

    [Fact]
    public async Task A_failed_critical_expectation_refuses_the_content_and_stores_nothing()
    {
        var file = CopyWine("wine.csv");
        var objectsBefore = ObjectCount();

        var refused = await AddAsync(file, "gated", FailingSuite);

        Assert.True(refused.Refused);
        Assert.False(refused.Created);
        Assert.Null(refused.Manifest);
        Assert.False(refused.Validation!.Success);
        Assert.True(refused.Validation.HasCriticalFailure);
        Assert.Null(await _store.FindDatasetAsync("gated", default));
        Assert.Equal(objectsBefore, ObjectCount());

        // An existing dataset keeps its versions and its store untouched too.
        await AddAsync(file, "gated");
        var objectsAfterV1 = ObjectCount();
        Assert.True(objectsAfterV1 > objectsBefore);
        File.AppendAllLines(file, [File.ReadLines(file).Skip(1).First()]);
        Assert.True((await AddAsync(file, "gated", FailingSuite)).Refused);
        Assert.Equal(1, (await _store.FindDatasetAsync("gated", default))!.LatestVersion);
        Assert.Single((await _store.ListVersionsAsync("gated", 100, null, default)).Items);
        Assert.Equal(objectsAfterV1, ObjectCount());
    }

    [Fact]
    public async Task A_failed_warning_expectation_does_not_refuse_and_the_result_is_kept_with_the_version()
    {
        const string warning = """{"name": "soft", "expectations": [{"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1000}, "severity": "warning"}]}""";
        var outcome = await AddAsync(CopyWine("wine.csv"), "soft", warning);

        Assert.False(outcome.Refused);
        Assert.True(outcome.Created);
        Assert.False(outcome.Validation!.Success);
        Assert.False(outcome.Validation.HasCriticalFailure);
        var stored = await _store.FindVersionAsync("soft", 1, default);
        Assert.False((bool)JsonNode.Parse(stored!.Validation!)!["success"]!);
    }

    [Fact]
    public async Task A_suite_given_on_add_is_kept_on_the_dataset_and_gates_the_next_add()
    {
        var file = CopyWine("wine.csv");
        var first = await AddAsync(file, "kept", PassingSuite);
        Assert.True(first.Validation!.Success);
        var dataset = await _store.FindDatasetAsync("kept", default);
        Assert.Equal("gate", (string)JsonNode.Parse(dataset!.Suite!)!["name"]!);

        // No --suite this time: the kept one still gates (a null in a column it checks).
        var lines = File.ReadAllLines(file);
        lines[3] = "," + lines[3][(lines[3].IndexOf(',', StringComparison.Ordinal) + 1)..];
        File.WriteAllLines(file, lines);
        var refused = await AddAsync(file, "kept");
        Assert.True(refused.Refused);
        Assert.Equal(1, (await _store.FindDatasetAsync("kept", default))!.LatestVersion);

        // A suite given on an unchanged add is kept as well.
        File.Copy(Wine, file, overwrite: true);
        const string other = """{"name": "other", "expectations": [{"type": "expect_column_to_exist", "kwargs": {"column": "class"}}]}""";
        var unchanged = await AddAsync(file, "kept", other);
        Assert.False(unchanged.Created);
        Assert.Equal("other", (string)JsonNode.Parse((await _store.FindDatasetAsync("kept", default))!.Suite!)!["name"]!);
    }

    [Fact]
    public async Task Checkout_of_latest_and_get_give_back_the_same_bytes()
    {
        var file = CopyWine("wine.csv");
        await AddAsync(file, "wine");
        var original = File.ReadAllBytes(file);

        var (local, version) = await _workflow.CheckoutAsync("datasets:/wine@latest", null, default);
        Assert.Equal(1, version.Version);
        Assert.Equal(original, File.ReadAllBytes(local));

        var target = Path.Combine(_dir, "out", "got.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var got = await _workflow.GetAsync("datasets:/wine/1", target, null, default);
        Assert.Equal(1, got.Version);
        Assert.Equal(original, File.ReadAllBytes(target));

        var unknown = await Assert.ThrowsAsync<KeelException>(() => _workflow.GetAsync("datasets:/wine/9", Path.Combine(_dir, "none.csv"), null, default));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, unknown.Code);
        Assert.False(File.Exists(Path.Combine(_dir, "none.csv")));
    }

    [Fact]
    public async Task Validating_a_dataset_uri_checks_the_version_it_names()
    {
        var file = CopyWine("wine.csv");
        await AddAsync(file, "wine");
        File.AppendAllLines(file, [File.ReadLines(file).Skip(1).First()]);
        await AddAsync(file, "wine");
        var suite = ExpectationSuite.Parse("""{"name": "rows", "expectations": [{"type": "expect_table_row_count_to_equal", "kwargs": {"value": 178}}]}""");

        var v1 = await _workflow.ValidateAsync("datasets:/wine/1", suite, null, default);
        var latest = await _workflow.ValidateAsync("datasets:/wine@latest", suite, null, default);

        Assert.True(v1.Success);
        Assert.False(latest.Success);
        Assert.Equal(179L, (long)latest.Results[0].ToJsonObject()["result"]!["observed_value"]!);
    }

    [Fact]
    public async Task Adds_emit_start_and_complete_with_the_dataset_as_output_and_a_refused_add_fails()
    {
        var file = CopyWine("wine.csv");
        await AddAsync(file, "wine");
        var added = Events();
        Assert.Equal(["START", "COMPLETE"], added.Select(e => (string)e["eventType"]!));
        Assert.Equal((string)added[0]["run"]!["runId"]!, (string)added[1]["run"]!["runId"]!);
        Assert.All(added, e => Assert.Equal("keel.data.add", (string)e["job"]!["name"]!));
        Assert.Empty(added[0]["outputs"]!.AsArray());
        var output = Assert.Single(added[1]["outputs"]!.AsArray())!;
        Assert.Equal(("keel-test", "wine", "1"), ((string)output["namespace"]!, (string)output["name"]!, (string)output["facets"]!["version"]!["datasetVersion"]!));

        File.Delete(_events);
        Assert.True((await AddAsync(file, "wine", FailingSuite)).Refused);
        var refused = Events();
        Assert.Equal(["START", "FAIL"], refused.Select(e => (string)e["eventType"]!));
        Assert.Empty(refused[1]["outputs"]!.AsArray());
        Assert.Contains("critical expectation", (string)refused[1]["run"]!["facets"]!["errorMessage"]!["message"]!, StringComparison.Ordinal);
        var assertion = Assert.Single(refused[1]["inputs"]![0]!["inputFacets"]!["dataQualityAssertions"]!["assertions"]!.AsArray())!;
        Assert.False((bool)assertion["success"]!);
    }

    [Fact]
    public async Task An_add_that_errors_after_it_started_ends_its_run_with_fail()
    {
        var notTable = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(notTable, "hello");
        await Assert.ThrowsAsync<KeelException>(() => AddAsync(notTable, "notes", PassingSuite));

        var events = Events();
        Assert.Equal(["START", "FAIL"], events.Select(e => (string)e["eventType"]!));
        Assert.Equal((string)events[0]["run"]!["runId"]!, (string)events[1]["run"]!["runId"]!);
        Assert.Contains("not a table", (string)events[1]["run"]!["facets"]!["errorMessage"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_names_the_problem_and_stores_nothing()
    {
        var missing = await Assert.ThrowsAsync<KeelException>(() => AddAsync(Path.Combine(_dir, "absent.csv"), "wine"));
        Assert.Contains("absent.csv", missing.Message, StringComparison.Ordinal);
        var badName = await Assert.ThrowsAsync<KeelException>(() => AddAsync(CopyWine("wine.csv"), "no spaces/allowed"));
        Assert.Equal(ErrorCode.InvalidParameterValue, badName.Code);
        var badSuite = await Assert.ThrowsAsync<KeelException>(() => AddAsync(CopyWine("wine.csv"), "wine", """{"name": "x", "expectations": [{"type": "expect_the_moon", "kwargs": {}}]}"""));
        Assert.Contains("expect_the_moon", badSuite.Message, StringComparison.Ordinal);
        var notTable = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(notTable, "hello");
        var gatedOpaque = await Assert.ThrowsAsync<KeelException>(() => AddAsync(notTable, "notes", PassingSuite));
        Assert.Contains("not a table", gatedOpaque.Message, StringComparison.Ordinal);
        Assert.Empty((await _store.ListDatasetsAsync(100, null, default)).Items);
        Assert.Equal(0, ObjectCount());
    }

    private Task<DatasetAddOutcome> AddAsync(string path, string name, string? suite = null) =>
        _workflow.AddAsync(path, name, null, "tester", null, default, suite);

    private string CopyWine(string name)
    {
        var folder = Path.Combine(_dir, "src-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name);
        File.Copy(Wine, file);
        return file;
    }

    private int ObjectCount()
    {
        var root = Path.Combine(_artifacts, "datasets");
        return Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).Length : 0;
    }

    private List<JsonNode> Events() =>
        [.. File.ReadAllLines(_events).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!)];
}
