using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>
/// <c>keel environments</c> and <c>keel approvals</c> as a user runs them on the embedded store
/// (<c>--data-dir</c>): the default policies, setting one, assigning and unassigning resources,
/// listing approvals; refusals exit with the documented codes and never show a stack trace.
/// </summary>
public sealed class EnvironmentCliTests : IDisposable
{
    private readonly string _dataDir = TempDirs.Create("keel-governance-cli");

    public void Dispose() => TempDirs.TryDelete(_dataDir);

    [Fact]
    public async Task Policies_and_assignments_are_set_listed_and_removed()
    {
        var listed = await JsonAsync("environments", "list");
        Assert.Equal(["dev", "prod", "staging"], listed["environments"]!.AsArray().Select(e => (string?)e!["name"]));
        Assert.True((bool)listed["environments"]![1]!["requires_approval"]!);
        Assert.Empty(listed["assignments"]!.AsArray());

        var (code, stdout, stderr) = await KeelAsync("environments", "set", "staging", "--requires-approval", "true", "--ttl-hours", "4");
        Assert.True(code == 0, stderr);
        Assert.Contains("require approval", stdout, StringComparison.Ordinal);
        (code, _, stderr) = await KeelAsync("environments", "assign", "model_alias", "*@champion", "prod");
        Assert.True(code == 0, stderr);
        (code, _, stderr) = await KeelAsync("environments", "assign", "endpoint", "churn", "staging");
        Assert.True(code == 0, stderr);

        listed = await JsonAsync("environments", "list");
        Assert.Equal(4.0, (double)listed["environments"]![2]!["approval_ttl_hours"]!);
        Assert.Equal(["churn", "*@champion"], listed["assignments"]!.AsArray().Select(a => (string?)a!["resource"]));

        (code, _, stderr) = await KeelAsync("environments", "unassign", "endpoint", "churn");
        Assert.True(code == 0, stderr);
        Assert.Single((await JsonAsync("environments", "list"))["assignments"]!.AsArray());
        Assert.Empty((await JsonAsync("approvals", "list", "--state", "requested"))["approvals"]!.AsArray());
    }

    [Fact]
    public async Task Refusals_exit_with_their_codes()
    {
        var (code, _, stderr) = await KeelAsync("environments", "assign", "model_alias", "churn", "prod");
        Assert.Equal(6, code);
        Assert.Contains("MODEL@ALIAS", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await KeelAsync("environments", "set", "Prod", "--requires-approval", "true");
        Assert.Equal(6, code);
        Assert.Contains("name", stderr, StringComparison.Ordinal);
        (code, _, _) = await KeelAsync("approvals", "show", "42");
        Assert.Equal(3, code);
        (code, _, _) = await KeelAsync("approvals", "approve", "42");
        Assert.Equal(3, code);
        (code, _, _) = await KeelAsync("approvals", "list", "--state", "pending");
        Assert.Equal(6, code);
    }

    private async Task<(int Code, string Stdout, string Stderr)> KeelAsync(params string[] args)
    {
        var result = await KeelCli.RunAsync([.. args, "--data-dir", _dataDir]);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stdout + result.Stderr, StringComparison.Ordinal);
        return (result.ExitCode, result.Stdout, result.Stderr.ReplaceLineEndings(" "));
    }

    private async Task<JsonNode> JsonAsync(params string[] args)
    {
        var (code, stdout, stderr) = await KeelAsync([.. args, "--output", "json"]);
        Assert.True(code == 0, $"keel {string.Join(' ', args)} exited {code}: {stderr}\n{stdout}");
        return JsonNode.Parse(stdout)!;
    }
}
