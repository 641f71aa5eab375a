using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>
/// What the real <c>keel</c> prints for scripts: <c>-o json</c> is one JSON document on stdout and
/// nothing else; redirected output and NO_COLOR carry no ANSI escapes; tables in a pipe keep whole
/// values unless COLUMNS asks for a width.
/// </summary>
public sealed class OutputCliTests : IDisposable
{
    private const char Escape = '\u001b';

    private readonly string _dataDir = TempDirs.Create("keel-output-cli");

    public void Dispose() => TempDirs.TryDelete(_dataDir);

    [Fact]
    public async Task Json_output_is_one_parsable_document_with_documented_keys()
    {
        var created = await JsonAsync("experiments", "create", "churn-baseline");
        Assert.False(string.IsNullOrEmpty((string?)created["experiment_id"]));

        var experiments = await JsonAsync("experiments", "list");
        Assert.Contains(experiments["experiments"]!.AsArray(), e => (string?)e!["name"] == "churn-baseline");

        Assert.NotNull((await JsonAsync("models", "list")).AsObject());
        Assert.NotNull((await JsonAsync("alerts", "list"))["alerts"]);
        Assert.NotNull((await JsonAsync("environments", "list"))["environments"]);
        Assert.NotEmpty((await JsonAsync("pipelines", "step-types"))["step_types"]!.AsArray());

        var set = await JsonAsync("environments", "set", "staging", "--requires-approval", "true");
        Assert.Equal("staging", (string?)set["environment"]!["name"]);
        var assigned = await JsonAsync("environments", "assign", "endpoint", "churn", "staging");
        Assert.Equal("churn", (string?)assigned["assignment"]!["resource"]);
        Assert.Empty((await JsonAsync("environments", "unassign", "endpoint", "churn")).AsObject());
    }

    [Fact]
    public async Task Redirected_output_without_no_color_has_no_escapes()
    {
        var env = new Dictionary<string, string?> { ["NO_COLOR"] = null, ["TERM"] = "xterm-256color", ["COLUMNS"] = null };

        await KeelAsync(["experiments", "create", "colourless"], env);
        var (code, stdout, stderr) = await KeelAsync(["experiments", "list"], env);

        Assert.True(code == 0, stderr);
        Assert.Contains("colourless", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Escape, stdout);
        Assert.DoesNotContain(Escape, stderr);
    }

    [Fact]
    public async Task With_no_color_neither_stdout_nor_an_error_has_escapes()
    {
        var (code, stdout, _) = await KeelAsync(["pipelines", "step-types"]);
        Assert.Equal(0, code);
        Assert.DoesNotContain(Escape, stdout);

        var (failed, _, stderr) = await KeelAsync(["experiments", "restore", "no-such-experiment"]);
        Assert.NotEqual(0, failed);
        Assert.DoesNotContain(Escape, stderr);
    }

    [Fact]
    public async Task A_pipe_gets_whole_values_and_columns_narrows_the_table()
    {
        var (code, whole, stderr) = await KeelAsync(["pipelines", "step-types"], new Dictionary<string, string?> { ["COLUMNS"] = null });
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("…", whole, StringComparison.Ordinal);
        Assert.Contains(whole.Split('\n'), l => l.Length > 100);

        var (narrowCode, narrow, narrowErr) = await KeelAsync(["pipelines", "step-types"], new Dictionary<string, string?> { ["COLUMNS"] = "70" });
        Assert.True(narrowCode == 0, narrowErr);
        Assert.All(narrow.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= 70, $"wider than 70: {l}"));
    }

    private async Task<JsonNode> JsonAsync(params string[] args)
    {
        var (code, stdout, stderr) = await KeelAsync([.. args, "-o", "json"]);
        Assert.True(code == 0, $"keel {string.Join(' ', args)} -o json: exit {code}: {stderr}");
        // JsonDocument rejects anything after the document: stdout must hold the JSON and nothing else.
        using var document = JsonDocument.Parse(stdout);
        return JsonNode.Parse(stdout)!;
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> KeelAsync(string[] args, IDictionary<string, string?>? env = null) =>
        KeelCli.RunAsync([.. args, "--data-dir", _dataDir], env);
}
