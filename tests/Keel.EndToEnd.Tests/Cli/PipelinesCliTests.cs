using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>
/// <c>keel pipelines</c> as a user runs it on the embedded store (<c>--data-dir</c>): init, apply,
/// run --wait (this process runs the steps), plan, runs, logs, show, list, step-types, in JSON and
/// table form; refusals exit 2 naming the step; no output ever carries a stack trace.
/// </summary>
public sealed class PipelinesCliTests : IDisposable
{
    private readonly string _dataDir = TempDirs.Create("keel-pipelines-cli");

    public void Dispose() => TempDirs.TryDelete(_dataDir);

    private Task<(int Code, string Stdout, string Stderr)> KeelAsync(params string[] args) => RunAsync(["pipelines", .. args, "--data-dir", _dataDir]);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        var result = await KeelCli.RunAsync(args);
        // Whatever happens, a user never sees a .NET stack trace.
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stdout + result.Stderr, StringComparison.Ordinal);
        // Messages wrap at the console's width: compared as one line.
        return (result.ExitCode, result.Stdout, result.Stderr.ReplaceLineEndings(" "));
    }

    private async Task<JsonNode> JsonAsync(params string[] args)
    {
        var (code, stdout, stderr) = await KeelAsync([.. args, "--output", "json"]);
        Assert.True(code == 0, $"keel pipelines {string.Join(' ', args)} exited {code}: {stderr}\n{stdout}");
        return JsonNode.Parse(stdout)!;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dataDir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task A_noop_pipeline_applies_runs_and_every_read_command_works_in_json_and_tables()
    {
        var file = Write("diamond.yaml", Http.PipelineApiTests.Diamond("cli-diamond"));
        var applied = await JsonAsync("apply", file);
        Assert.True((bool)applied["changed"]!);
        Assert.Equal(1, (int)applied["pipeline"]!["version"]!);
        var (code, stdout, _) = await KeelAsync("apply", file);
        Assert.Equal(0, code);
        Assert.Contains("unchanged (version 1)", stdout, StringComparison.Ordinal);

        // run --wait runs the steps in this process and prints each one as it ends.
        (code, stdout, var stderr) = await KeelAsync("run", "cli-diamond", "--wait");
        Assert.True(code == 0, stderr + stdout);
        foreach (var step in new[] { "a", "b", "c", "d" })
        {
            Assert.Contains($"  {step}: succeeded", stdout, StringComparison.Ordinal);
        }

        var runs = (await JsonAsync("runs", "--pipeline", "cli-diamond"))["runs"]!.AsArray();
        var runId = (long)Assert.Single(runs)!["run_id"]!;
        Assert.Equal("succeeded", (string?)runs[0]!["state"]);

        var run = await JsonAsync("runs", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["a", "b", "c", "d"], run["steps"]!.AsArray().Select(s => (string)s!["step"]!).Order(StringComparer.Ordinal));
        Assert.All(run["steps"]!.AsArray(), s => Assert.Equal("succeeded", (string?)s!["state"]));

        var log = await JsonAsync("logs", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEmpty(log["lines"]!.AsArray());
        Assert.All(log["lines"]!.AsArray(), l => Assert.Contains((string)l!["step"]!, new[] { "a", "b", "c", "d" }));
        (code, stdout, _) = await KeelAsync("logs", runId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--step", "a");
        Assert.Equal(0, code);
        Assert.Contains("a#1", stdout, StringComparison.Ordinal);

        var plan = (await JsonAsync("plan", "cli-diamond"))["steps"]!.AsArray();
        Assert.All(plan, p => Assert.Equal("cached", (string?)p!["action"]));
        (code, stdout, _) = await KeelAsync("plan", "cli-diamond", "--param", "v=other");
        Assert.Equal(0, code);
        Assert.Contains("Plan: 4 step(s) to run, 0 from the cache.", stdout, StringComparison.Ordinal);

        var shown = await JsonAsync("show", "cli-diamond");
        Assert.Equal("cli-diamond", (string?)shown["pipeline"]!["name"]);
        (code, stdout, _) = await KeelAsync("show", "cli-diamond");
        Assert.Equal(0, code);
        Assert.Contains("cli-diamond", stdout, StringComparison.Ordinal);

        var list = (await JsonAsync("list"))["pipelines"]!.AsArray();
        Assert.Equal("cli-diamond", (string?)Assert.Single(list)!["name"]);
        (code, stdout, _) = await KeelAsync("list");
        Assert.Equal(0, code);

        (code, stdout, _) = await KeelAsync("runs");
        Assert.Equal(0, code);
        Assert.Contains("cli-diamond", stdout, StringComparison.Ordinal);
        Assert.Contains("succeeded", stdout, StringComparison.Ordinal);

        var types = (await JsonAsync("step-types"))["step_types"]!.AsArray().Select(t => (string)t!["name"]!).ToList();
        Assert.Contains("noop", types);
        Assert.Contains("command", types);
        Assert.Contains("train", types);
    }

    [Fact]
    public async Task Run_wait_of_a_failing_pipeline_exits_9_naming_the_step()
    {
        await JsonAsync("apply", Write("failing.yaml", "name: cli-failing\nsteps:\n  - {name: boom, type: noop, params: {fail: deliberate}}\n  - {name: after, type: noop, after: [boom]}\n"));

        var (code, stdout, stderr) = await KeelAsync("run", "cli-failing", "--wait");

        Assert.True(code == 9, $"exit {code}: {stderr}\n{stdout}"); // an awaited outcome that failed
        Assert.Contains("boom: failed", stdout, StringComparison.Ordinal);
        Assert.Contains("deliberate", stdout, StringComparison.Ordinal);
        var json = await JsonAsync("runs", "--state", "failed");
        Assert.Equal("cli-failing", (string?)Assert.Single(json["runs"]!.AsArray())!["pipeline"]);
    }

    [Fact]
    public async Task Invalid_files_exit_6_naming_the_steps_and_unknown_names_exit_3()
    {
        var (code, stdout, stderr) = await KeelAsync("apply", Write("cycle.yaml", "name: cli-cycle\nsteps:\n  - {name: one, type: noop, after: [two]}\n  - {name: two, type: noop, after: [one]}\n"));
        Assert.True(code == 6, $"exit {code}: {stderr}\n{stdout}");
        Assert.Matches("Steps (one → two → one|two → one → two) form a cycle", stderr);

        (code, _, stderr) = await KeelAsync("apply", Write("unknown.yaml", "name: cli-unknown\nsteps:\n  - {name: s1, type: teleport}\n"));
        Assert.Equal(6, code);
        Assert.Contains("Step 's1' has unknown type 'teleport'", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await KeelAsync("apply", Path.Combine(_dataDir, "missing.yaml"));
        Assert.Equal(6, code);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await KeelAsync("show", "cli-no-such");
        Assert.Equal(3, code);
        Assert.Contains("Pipeline 'cli-no-such' does not exist", stderr, StringComparison.Ordinal);
        (code, _, _) = await KeelAsync("runs", "999");
        Assert.Equal(3, code);
        (code, _, stderr) = await KeelAsync("runs", "--state", "bogus");
        Assert.Equal(6, code);
        Assert.Contains("'state'", stderr, StringComparison.Ordinal);
        Assert.Empty((await JsonAsync("list"))["pipelines"]!.AsArray());
    }

    [Fact]
    public async Task The_init_template_is_accepted_except_for_step_types_not_built_yet()
    {
        var file = Path.Combine(_dataDir, "retrain.yaml");
        var (code, stdout, stderr) = await RunAsync(["pipelines", "init", "--template", "classification", "--dataset", "d", "--label", "y", "--endpoint", "e", "--file", file]);
        Assert.True(code == 0, stderr + stdout);
        Assert.True(File.Exists(file));

        (code, stdout, stderr) = await KeelAsync("apply", file);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("Pipeline retrain-e applied as version 1: 6 steps, 2 trigger(s).", stdout, StringComparison.Ordinal);

        // Writing over the file needs --force.
        (code, _, stderr) = await RunAsync(["pipelines", "init", "--template", "regression", "--dataset", "d", "--label", "y", "--endpoint", "e", "--file", file]);
        Assert.Equal(6, code);
        Assert.Contains("--force", stderr, StringComparison.Ordinal);
    }
}
