using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>
/// Issue 16 as a user meets it in the real <c>keel</c> process: each class of error is one message
/// and its documented exit code (docs/cli.md, "Errors and exit codes"), and the config file fills
/// in what options and the environment leave unset, in the one precedence option &gt; environment
/// &gt; file &gt; default, with unknown keys refused before anything runs.
/// </summary>
public sealed class ErrorsAndConfigTests : IDisposable
{
    private readonly string _dir = TempDirs.Create("keel-errors-config");

    public void Dispose() => TempDirs.TryDelete(_dir);

    private string DataDir(string name) => Path.Combine(_dir, name);

    private string WriteConfig(string name, string yaml)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task Each_error_class_has_its_exit_code_and_one_message()
    {
        var data = DataDir("classes");

        // validation failed (6): a backend store keel does not support.
        var (code, _, stderr) = await KeelCli.RunAsync(["server", "--port", "0", "--data-dir", data, "--backend-store-uri", "mysql://db/keel"]);
        Assert.Equal(6, code);
        Assert.Contains("mysql://db/keel", stderr, StringComparison.Ordinal);
        Assert.Contains("postgresql://", stderr, StringComparison.Ordinal);

        // unreachable (7): nothing listens on the discard port.
        (code, _, stderr) = await KeelCli.RunAsync(["experiments", "list", "--tracking-uri", "http://127.0.0.1:9"]);
        Assert.Equal(7, code);
        Assert.Contains("Could not reach the tracking server at http://127.0.0.1:9", stderr, StringComparison.Ordinal);
        Assert.Contains("keel server", stderr, StringComparison.Ordinal);

        // not found (3) and conflict (5) on the embedded store.
        (code, _, stderr) = await KeelCli.RunAsync(["models", "show", "no-such-model", "--data-dir", data]);
        Assert.Equal(3, code);
        Assert.Contains("no-such-model", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await KeelCli.RunAsync(["experiments", "create", "twice", "--data-dir", data]);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = await KeelCli.RunAsync(["experiments", "create", "twice", "--data-dir", data]);
        Assert.Equal(5, code);
        Assert.Contains("already exists", stderr, StringComparison.Ordinal);

        // usage (2): an unknown option with the nearest one suggested, and a named config file that is missing.
        (code, _, stderr) = await KeelCli.RunAsync(["experiments", "list", "--data-dri", data]);
        Assert.Equal(2, code);
        Assert.Contains("--data-dir", stderr, StringComparison.Ordinal);
        Assert.Contains("keel experiments list --help", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await KeelCli.RunAsync(["experiments", "list", "--data-dir", data, "--config", Path.Combine(_dir, "absent.yaml")]);
        Assert.Equal(2, code);
        Assert.Contains("absent.yaml", stderr, StringComparison.Ordinal);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);

        // Every message is one short paragraph; --verbose adds the details (and the stack trace).
        (code, _, stderr) = await KeelCli.RunAsync(["models", "show", "no-such-model", "--data-dir", data, "--verbose"]);
        Assert.Equal(3, code);
        Assert.Matches(KeelCli.StackTrace, stderr);
    }

    [Fact]
    public async Task Option_beats_environment_beats_file_beats_default()
    {
        var fromFile = DataDir("from-file");
        var fromEnv = DataDir("from-env");
        var fromOption = DataDir("from-option");
        var config = WriteConfig("precedence.yaml", $"data_dir: {fromFile}\nexperiments:\n  output: json\n");

        // File only: the experiment lands in the file's data dir, and `experiments` prints JSON.
        var noEnv = new Dictionary<string, string?> { ["KEEL_DATA_DIR"] = null };
        var (code, _, stderr) = await KeelCli.RunAsync(["experiments", "create", "in-file", "--config", config], noEnv);
        Assert.True(code == 0, stderr);
        var (listCode, listed, listErr) = await KeelCli.RunAsync(["experiments", "list", "--config", config], noEnv);
        Assert.True(listCode == 0, listErr);
        Assert.Contains("in-file", Names(JsonNode.Parse(listed)!), StringComparer.Ordinal);
        Assert.True(File.Exists(Path.Combine(fromFile, "keel.db")));

        // The environment beats the file; KEEL_CONFIG names the file as --config does.
        var envAndFile = new Dictionary<string, string?> { ["KEEL_DATA_DIR"] = fromEnv, ["KEEL_CONFIG"] = config };
        (code, _, stderr) = await KeelCli.RunAsync(["experiments", "create", "in-env"], envAndFile);
        Assert.True(code == 0, stderr);
        (listCode, listed, listErr) = await KeelCli.RunAsync(["experiments", "list"], envAndFile);
        Assert.True(listCode == 0, listErr);
        Assert.Equal(["Default", "in-env"], Names(JsonNode.Parse(listed)!).Order(StringComparer.Ordinal));

        // The option beats both: --data-dir and -o table.
        (code, _, stderr) = await KeelCli.RunAsync(["experiments", "create", "in-option", "--data-dir", fromOption], envAndFile);
        Assert.True(code == 0, stderr);
        (listCode, listed, listErr) = await KeelCli.RunAsync(["experiments", "list", "--data-dir", fromOption, "-o", "table"], envAndFile);
        Assert.True(listCode == 0, listErr);
        Assert.Contains("in-option", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("in-env", listed, StringComparison.Ordinal);
        Assert.False(listed.TrimStart().StartsWith('{'), listed);

        // The section applies to `experiments` only: `models list` keeps its table default.
        (listCode, listed, listErr) = await KeelCli.RunAsync(["models", "list", "--config", config], noEnv);
        Assert.True(listCode == 0, listErr);
        Assert.False(listed.TrimStart().StartsWith('{'), listed);

        // No config and no variable: the default data dir (the harness's scratch one), where none of these are.
        (listCode, listed, listErr) = await KeelCli.RunAsync(["experiments", "list", "-o", "json"]);
        Assert.True(listCode == 0, listErr);
        Assert.DoesNotContain("in-file", Names(JsonNode.Parse(listed)!), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Unknown_keys_and_bad_values_stop_the_command_before_it_changes_anything()
    {
        var data = DataDir("refused");
        var typo = WriteConfig("typo.yaml", $"data_dir: {data}\nexperiments:\n  outptu: json\n");
        var (code, _, stderr) = await KeelCli.RunAsync(["experiments", "create", "never", "--config", typo]);
        Assert.Equal(2, code);
        Assert.Contains("outptu (line 3)", stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean 'output'", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "a refused config file must not let the command create its data dir");

        var notACommand = WriteConfig("section.yaml", "experiment:\n  output: json\n");
        (code, _, stderr) = await KeelCli.RunAsync(["experiments", "list", "--config", notACommand]);
        Assert.Equal(2, code);
        Assert.Contains("experiment.output (line 2)", stderr, StringComparison.Ordinal);

        var notYaml = WriteConfig("broken.yaml", "data_dir: [unclosed\n");
        (code, _, stderr) = await KeelCli.RunAsync(["experiments", "list", "--config", notYaml]);
        Assert.Equal(2, code);
        Assert.Contains("not valid YAML", stderr, StringComparison.Ordinal);

        // A well-formed key with a bad value is refused where it is read, naming the file's key.
        var badValue = WriteConfig("value.yaml", "monitoring_bucket_seconds: abc\n");
        (code, _, stderr) = await KeelCli.RunAsync(["server", "--port", "0", "--data-dir", data, "--config", badValue], new Dictionary<string, string?> { ["KEEL_MONITORING_BUCKET_SECONDS"] = null });
        Assert.Equal(6, code);
        Assert.Contains("monitoring_bucket_seconds in", stderr, StringComparison.Ordinal);
        Assert.Contains("value.yaml", stderr, StringComparison.Ordinal);
        Assert.Contains("whole number", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_environment_wins_over_the_file_through_sections_and_fallback_variables()
    {
        var fromEnv = DataDir("env-wins");
        var fromFile = DataDir("file-loses");

        // A variable's key inside a command section is that command's option, yet KEEL_DATA_DIR still wins.
        var section = WriteConfig("section-var.yaml", $"experiments:\n  data_dir: {fromFile}\n");
        var (code, _, stderr) = await KeelCli.RunAsync(["experiments", "create", "where", "--config", section], new Dictionary<string, string?> { ["KEEL_DATA_DIR"] = fromEnv });
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(fromEnv, "keel.db")));
        Assert.False(Directory.Exists(fromFile));

        // tracking_uri in the file is KEEL_TRACKING_URI, which is read before MLFLOW_TRACKING_URI: an
        // MLFLOW_TRACKING_URI in the environment must still beat the file.
        var remote = WriteConfig("tracking.yaml", "tracking_uri: http://127.0.0.1:9\n");
        (code, _, stderr) = await KeelCli.RunAsync(["experiments", "list", "--config", remote]);
        Assert.Equal(7, code);
        var (listCode, listed, listErr) = await KeelCli.RunAsync(["experiments", "list", "-o", "json", "--config", remote], new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = $"sqlite:///{fromEnv}/keel.db" });
        Assert.True(listCode == 0, listErr);
        Assert.Contains("where", Names(JsonNode.Parse(listed)!), StringComparer.Ordinal);
    }

    [Fact]
    public async Task A_bad_option_value_in_the_file_is_refused_as_invalid_and_verbose_may_come_from_the_file()
    {
        var data = DataDir("values");
        var bad = WriteConfig("bad-option.yaml", $"data_dir: {data}\nexperiments:\n  max_results: abc\n");
        var (code, _, stderr) = await KeelCli.RunAsync(["experiments", "list", "--config", bad], new Dictionary<string, string?> { ["KEEL_DATA_DIR"] = null });
        Assert.Equal(6, code);
        Assert.Contains("bad-option.yaml", stderr, StringComparison.Ordinal);
        Assert.Contains("--max-results", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", stderr, StringComparison.Ordinal);

        var verbose = WriteConfig("verbose.yaml", "verbose: true\n");
        var process = KeelCli.Start(["models", "show", "absent", "--data-dir", data, "--config", verbose]);
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(3, process.ExitCode);
        Assert.Matches(KeelCli.StackTrace, errors);
    }

    [Fact]
    public async Task A_broken_config_file_leaves_help_version_completion_and_doctor_working()
    {
        var data = DataDir("broken-file");
        var broken = WriteConfig("broken-keys.yaml", $"data_dri: {data}\n");
        var env = new Dictionary<string, string?> { ["KEEL_CONFIG"] = broken };

        // What a user reaches for when keel will not start must still answer.
        foreach (var args in new string[][] { ["--version"], ["--help"], ["models", "list", "--help"], ["completion", "bash"] })
        {
            var (exit, stdout, stderr) = await KeelCli.RunAsync(args, env);
            Assert.True(exit == 0, $"keel {string.Join(' ', args)} exited {exit}: {stderr}");
            Assert.NotEmpty(stdout.Trim());
        }

        // Every other command is stopped by the file.
        var (code, _, err) = await KeelCli.RunAsync(["experiments", "list", "--data-dir", data], env);
        Assert.Equal(2, code);
        Assert.Contains("data_dri (line 1)", err, StringComparison.Ordinal);

        // keel doctor reports the file as its failed `config` check and runs the others without it.
        var (doctorCode, report, doctorErr) = await KeelCli.RunAsync(["doctor", "--check", "config", "--check", "data-dir", "--data-dir", data, "-o", "json"], env);
        Assert.True(doctorCode == 9, doctorErr);
        var checks = JsonNode.Parse(report)!["checks"]!.AsArray();
        var config = checks.Single(c => (string)c!["name"]! == "config")!;
        Assert.Equal("fail", (string)config["status"]!);
        Assert.Contains("data_dri (line 1): unknown key 'data_dri' (did you mean 'data_dir'?)", (string)config["finding"]!, StringComparison.Ordinal);
        Assert.Contains("--config", (string)config["fix"]!, StringComparison.Ordinal);
        Assert.Equal("ok", (string)checks.Single(c => (string)c!["name"]! == "data-dir")!["status"]!);
    }

    [Fact]
    public async Task Doctor_checks_without_any_of_a_file_it_cannot_use()
    {
        // The keys are known but doctor's own option value is refused: none of the file applies,
        // its data_dir included, so the data-dir check looks at the default under HOME.
        var home = DataDir("home-unusable");
        Directory.CreateDirectory(home);
        var fromFile = DataDir("unusable-file-data");
        var config = WriteConfig("unusable.yaml", $"data_dir: {fromFile}\ndoctor:\n  output: xml\n");
        var env = new Dictionary<string, string?> { ["HOME"] = home, ["KEEL_DATA_DIR"] = null, ["KEEL_CONFIG"] = config, ["COLUMNS"] = "400" };
        var (code, report, stderr) = await KeelCli.RunAsync(["doctor", "--check", "config", "--check", "data-dir"], env);
        Assert.True(code == 9, stderr);
        Assert.Contains("'xml'", report, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(home, ".keel"), report, StringComparison.Ordinal);
        Assert.DoesNotContain(fromFile, report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_names_the_config_file_and_blames_it_for_its_bad_values()
    {
        var home = DataDir("home");
        Directory.CreateDirectory(home);
        var noFile = new Dictionary<string, string?> { ["HOME"] = home, ["KEEL_CONFIG"] = null };
        var (code, report, stderr) = await KeelCli.RunAsync(["doctor", "--check", "config", "-o", "json"], noFile);
        Assert.True(code == 0, stderr);
        var config = JsonNode.Parse(report)!["checks"]![0]!;
        Assert.Equal("skipped", (string)config["status"]!);
        Assert.Contains(Path.Combine(home, ".keel", "config.yaml"), (string)config["finding"]!, StringComparison.Ordinal);

        // ~/.keel/config.yaml is found by itself; a bad value in it is blamed on the file's key, not on a variable to unset.
        Directory.CreateDirectory(Path.Combine(home, ".keel"));
        File.WriteAllText(Path.Combine(home, ".keel", "config.yaml"), "monitoring_bucket_seconds: abc\nserver:\n  port: 5001\n");
        var withFile = new Dictionary<string, string?> { ["HOME"] = home, ["KEEL_CONFIG"] = null, ["KEEL_MONITORING_BUCKET_SECONDS"] = null };
        (code, report, stderr) = await KeelCli.RunAsync(["doctor", "--check", "config", "--check", "environment", "-o", "json"], withFile);
        Assert.True(code == 9, stderr);
        var checks = JsonNode.Parse(report)!["checks"]!.AsArray();
        Assert.Equal("ok", (string)checks[0]!["status"]!);
        Assert.Contains("config.yaml: 2 settings", (string)checks[0]!["finding"]!, StringComparison.Ordinal);
        var environment = checks[1]!;
        Assert.Equal("fail", (string)environment["status"]!);
        Assert.Contains("monitoring_bucket_seconds in", (string)environment["finding"]!, StringComparison.Ordinal);
        Assert.StartsWith("correct monitoring_bucket_seconds in", (string)environment["fix"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("unset", (string)environment["fix"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("KEEL_MONITORING_BUCKET_SECONDS", environment["details"]!["set"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private static IEnumerable<string> Names(JsonNode listed) =>
        listed["experiments"]!.AsArray().Select(e => (string)e!["name"]!);
}
