using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;
using Keel.Pipelines.Steps;
using Xunit;

namespace Keel.Pipelines.Tests;

/// <summary>The command step over real stores, with /bin/sh scripts.</summary>
public sealed class CommandStepTests : IAsyncLifetime
{
    private readonly OpsFixture _f = new();
    private CommandStep _type = null!;

    public Task InitializeAsync()
    {
        _type = new CommandStep(_f.Services);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task Inputs_and_outputs_are_paths_env_is_set_and_outputs_are_uploaded_to_the_steps_run()
    {
        var data = Path.Combine(_f.Root, "data.csv");
        await File.WriteAllTextAsync(data, "a,b\n1,2\n");
        var script = _f.Script("step.sh", """
            cp "$1" "$2"
            printf '%s' "$KEEL_STEP:$KEEL_PIPELINE:$KEEL_PIPELINE_RUN_ID:$KEEL_ATTEMPT:$GREETING:$KEEL_INPUT_DATA" > "$KEEL_OUTPUT_INFO"
            mkdir -p "$3" && echo nested > "$3/inner.txt"
            echo ' 0.93 ' > "$4"
            """);
        var step = OpsFixture.Step(
            "command",
            $$$"""{"command": ["/bin/sh", "{{{script}}}", "${inputs.data}", "${outputs.copy}", "${outputs.folder}", "${outputs.score}"], "env": {"GREETING": "${params.greet}"}}""",
            new Dictionary<string, string> { ["data"] = data },
            new Dictionary<string, PipelineValueKind> { ["copy"] = PipelineValueKind.File, ["info"] = PipelineValueKind.Report, ["folder"] = PipelineValueKind.File, ["score"] = PipelineValueKind.Value });
        _type.Validate(step);
        var run = await _f.RunAsync();

        var outcome = await _type.RunAsync(_f.Context(step, run, parameters: new Dictionary<string, string> { ["greet"] = "hello" }), CancellationToken.None);

        Assert.Equal($"runs:/{run}/outputs/copy", outcome.Outputs["copy"]);
        Assert.Equal($"runs:/{run}/outputs/info", outcome.Outputs["info"]);
        Assert.Equal($"runs:/{run}/outputs/folder", outcome.Outputs["folder"]);
        Assert.Equal("0.93", outcome.Outputs["score"]);
        var root = ArtifactUri.ProxyPathOf((await _f.Tracking.GetRunAsync(run)).Info.ArtifactUri);
        Assert.Equal("a,b\n1,2\n", await ReadAsync(root + "/outputs/copy"));
        Assert.Equal($"s:demo:7:1:hello:{data}", await ReadAsync(root + "/outputs/info"));
        Assert.Equal("nested\n", await ReadAsync(root + "/outputs/folder/inner.txt"));
    }

    [Fact]
    public async Task Run_and_model_uris_are_downloaded_into_the_work_directory()
    {
        var model = await _f.LogModelAsync();
        var upstream = await _f.RunAsync();
        var root = ArtifactUri.ProxyPathOf((await _f.Tracking.GetRunAsync(upstream)).Info.ArtifactUri);
        await _f.Artifacts.WriteAsync(root + "/outputs/metrics", new MemoryStream("{\"auc\": 0.9}"u8.ToArray()));
        var script = _f.Script("read.sh", """
            cat "$1" > "$3"
            ls "$2" | tr '\n' ' ' >> "$3"
            """);
        var step = OpsFixture.Step(
            "command",
            $$"""{"command": ["/bin/sh", "{{script}}", "${inputs.metrics}", "${inputs.model}", "${outputs.seen}"]}""",
            new Dictionary<string, string> { ["metrics"] = $"runs:/{upstream}/outputs/metrics", ["model"] = model },
            new Dictionary<string, PipelineValueKind> { ["seen"] = PipelineValueKind.Value });

        var outcome = await _type.RunAsync(_f.Context(step, null), CancellationToken.None);

        Assert.Equal("{\"auc\": 0.9}MLmodel model.bin", outcome.Outputs["seen"]);
    }

    [Fact]
    public async Task Without_tracking_outputs_are_local_paths_and_metrics_are_reported()
    {
        var step = OpsFixture.Step(
            "command",
            """{"command": ["/bin/sh", "-c", "echo '{\"rmse\": 1.5, \"note\": \"x\"}' > \"$KEEL_OUTPUT_METRICS\""]}""",
            outputs: new Dictionary<string, PipelineValueKind> { ["metrics"] = PipelineValueKind.Metrics });

        var outcome = await _type.RunAsync(_f.Context(step, null), CancellationToken.None);

        Assert.True(File.Exists(outcome.Outputs["metrics"]));
        Assert.StartsWith(Path.Combine(_f.Root, "work"), outcome.Outputs["metrics"], StringComparison.Ordinal);
        Assert.Equal(1.5, Assert.Single(outcome.Metrics!).Value);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_code_and_the_last_stderr_lines_and_output_is_logged_by_line()
    {
        var step = OpsFixture.Step("command", """{"command": ["/bin/sh", "-c", "echo first; echo second; echo 'bad thing' >&2; exit 3"]}""");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _type.RunAsync(_f.Context(step, null), CancellationToken.None));

        Assert.Contains("exited with code 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("bad thing", e.Message, StringComparison.Ordinal);
        Assert.Contains("first", _f.Log);
        Assert.Contains("second", _f.Log);
        Assert.Contains("stderr: bad thing", _f.Log);
    }

    [Fact]
    public async Task A_declared_output_the_command_did_not_write_fails_the_step()
    {
        var step = OpsFixture.Step(
            "command", """{"command": ["/bin/sh", "-c", "true"]}""", outputs: new Dictionary<string, PipelineValueKind> { ["model"] = PipelineValueKind.Model });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _type.RunAsync(_f.Context(step, null), CancellationToken.None));

        Assert.Contains("did not write output 'model'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_kills_the_whole_process_tree_and_lines_stream_while_it_runs()
    {
        var pidFile = Path.Combine(_f.Root, "child.pid");
        var step = OpsFixture.Step("command", $$"""{"command": ["/bin/sh", "-c", "sleep 300 & echo $! > {{pidFile}}; echo started; wait"]}""");
        using var cancel = new CancellationTokenSource();

        var running = _type.RunAsync(_f.Context(step, null), cancel.Token);
        await Until(() => _f.Log.Contains("started"));
        var child = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Alive(child));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await Until(() => !Alive(child));
    }

    [Fact]
    public async Task The_cache_material_changes_when_the_script_changes_and_not_otherwise()
    {
        var script = _f.Script("train.sh", "echo one > \"$2\"");
        var data = Path.Combine(_f.Root, "input.csv");
        await File.WriteAllTextAsync(data, "x\n1\n");
        var extra = Path.Combine(_f.Root, "config.yaml");
        await File.WriteAllTextAsync(extra, "depth: 3\n");
        var step = OpsFixture.Step(
            "command",
            $$"""{"command": ["/bin/sh", "{{script}}", "${inputs.data}", "${outputs.out}"], "files": ["{{extra}}"]}""",
            new Dictionary<string, string> { ["data"] = data },
            new Dictionary<string, PipelineValueKind> { ["out"] = PipelineValueKind.File });
        var context = _f.Context(step, null);

        var first = await _type.CacheMaterialAsync(context, CancellationToken.None);
        Assert.Equal(first, await _type.CacheMaterialAsync(context, CancellationToken.None));

        // The input's content is keyed by its identity, not here; the work directory never is.
        await File.WriteAllTextAsync(data, "x\n2\n");
        await _type.RunAsync(context, CancellationToken.None);
        Assert.Equal(first, await _type.CacheMaterialAsync(context, CancellationToken.None));
        Assert.Contains(first, m => m.StartsWith("executable /", StringComparison.Ordinal) && m.Contains("#xxh128:", StringComparison.Ordinal));
        Assert.DoesNotContain(first, m => m.Contains(data, StringComparison.Ordinal));

        await File.WriteAllTextAsync(script, "#!/bin/sh\necho two > \"$2\"\n");
        var edited = await _type.CacheMaterialAsync(context, CancellationToken.None);
        Assert.NotEqual(first, edited);

        await File.WriteAllTextAsync(extra, "depth: 4\n");
        Assert.NotEqual(edited, await _type.CacheMaterialAsync(context, CancellationToken.None));
    }

    [Fact]
    public async Task A_bare_executable_is_found_on_path_and_keyed_by_its_full_path_and_content()
    {
        var step = OpsFixture.Step("command", """{"command": ["sh", "-c", "true"]}""");

        var material = await _type.CacheMaterialAsync(_f.Context(step, null), CancellationToken.None);

        Assert.Matches("^executable /.+/sh#xxh128:[0-9a-f]{32}$", Assert.Single(material));
    }

    [Theory]
    [InlineData("""{}""", "'command' is required")]
    [InlineData("""{"command": []}""", "'command' must start with the executable")]
    [InlineData("""{"command": "ls -l"}""", "'command' must be a list of strings")]
    [InlineData("""{"command": ["ls", 3]}""", "'command' must be a list of strings")]
    [InlineData("""{"command": ["cat", "${inputs.nope}"]}""", "'command[1]' uses ${inputs.nope} but the step has no input 'nope'")]
    [InlineData("""{"command": ["cat", "${outputs.nope}"]}""", "'command[1]' uses ${outputs.nope} but the step declares no output 'nope'")]
    [InlineData("""{"command": ["ls"], "env": {"X": 1}}""", "'env.X' must be a string")]
    [InlineData("""{"command": ["ls"], "shell": true}""", "parameter 'shell' is not known")]
    public void Validate_refuses_bad_parameters_naming_the_step_and_field(string parameters, string expected)
    {
        var step = OpsFixture.Step("command", parameters, name: "mine");

        var e = Assert.Throws<KeelException>(() => _type.Validate(step));

        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("Step 'mine'", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            // A killed child may linger as a zombie until reaped: that is not running.
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(20);
        }
    }

    private async Task<string> ReadAsync(string path)
    {
        await using var stream = await _f.Artifacts.OpenReadAsync(path);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
