using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Keel.Cli.Tests.Deploy;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Distribution;

/// <summary>
/// The repository's Dockerfile and sample compose.yaml, checked as far as they can be without
/// Docker: the compose file against the Compose Specification's schema, every setting it gives
/// keel against what keel reads, and the Dockerfile's stages, user, health check and sources.
/// </summary>
public sealed partial class DeploymentFileTests
{
    private static readonly string Root = DistributionProcess.RepoRoot;

    [Fact]
    public void Compose_file_is_valid_against_the_compose_specification()
    {
        var compose = ReadCompose();
        // The file names draft-07 by an https URI the validator does not know; the dialect is chosen here instead.
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Distribution", "Schemas", "compose-spec.json")))!.AsObject();
        root.Remove("$schema");
        var schema = JsonSchema.FromText(root.ToJsonString(), new BuildOptions { Dialect = Dialect.Draft07 }, new Uri("https://keel.test/schemas/compose-spec.json"));

        var result = schema.Evaluate(JsonSerializer.SerializeToElement(compose), new EvaluationOptions { OutputFormat = OutputFormat.List });

        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).ToList();
        Assert.True(result.IsValid, string.Join('\n', errors));
        Assert.Equal(["bucket", "keel", "minio", "postgres", "redis"], compose["services"]!.AsObject().Select(s => s.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_variable_compose_gives_keel_is_one_keel_reads()
    {
        var keel = ReadCompose()["services"]!["keel"]!;
        var names = keel["environment"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("KEEL_ADMIN_PASSWORD", names);

        // What keel reads is named in its source as a string literal (KeelEnvironment and the few
        // settings classes that declare their own, such as the S3 and auth settings).
        var source = string.Join('\n', Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var unread = names.Where(n => !source.Contains($"\"{n}\"", StringComparison.Ordinal)).ToList();
        Assert.True(unread.Count == 0, "compose.yaml sets variables keel never reads: " + string.Join(", ", unread));
    }

    [Fact]
    public async Task The_server_options_in_compose_and_the_Dockerfile_are_keel_server_options()
    {
        var (exit, help, _) = await KeelCli.RunAsync(["server", "--help"]);
        Assert.Equal(0, exit);

        var composeArgs = ReadCompose()["services"]!["keel"]!["command"]!.AsArray().Select(a => (string)a!).ToList();
        var dockerArgs = JsonNode.Parse(Instruction(ReadDockerfile(), "CMD").Single())!.AsArray().Select(a => (string)a!).ToList();
        foreach (var args in new[] { composeArgs, dockerArgs })
        {
            Assert.Equal("server", args[0]);
            var options = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToList();
            Assert.Contains("--auth", options);
            Assert.Equal("0.0.0.0", args[args.IndexOf("--host") + 1]);
            Assert.All(options, o => Assert.Matches(new Regex($@"(^|[\s,]){Regex.Escape(o)}\b", RegexOptions.Multiline), help));
        }
    }

    [Fact]
    public void Dockerfile_builds_in_one_stage_and_runs_as_a_non_root_user_in_another()
    {
        var lines = ReadDockerfile();

        var stages = Instruction(lines, "FROM");
        Assert.True(stages.Count >= 2, "the Dockerfile needs a build stage and a runtime stage");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", stages[0], StringComparison.Ordinal);
        Assert.DoesNotContain("/sdk:", stages[^1], StringComparison.Ordinal);

        // The user of the final stage: the last USER after the last FROM.
        var final = lines.Skip(lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();
        var user = Instruction(final, "USER").LastOrDefault();
        Assert.NotNull(user);
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user);

        var health = Assert.Single(Instruction(final, "HEALTHCHECK"));
        Assert.Contains("CMD", health, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:5000", health, StringComparison.Ordinal);
        Assert.Equal(["5000"], Instruction(final, "EXPOSE"));
        Assert.Contains("\"/var/lib/keel\"", Assert.Single(Instruction(final, "VOLUME")), StringComparison.Ordinal);

        // Every COPY from the build context names something the repository has, and no build output.
        foreach (var copy in Instruction(lines, "COPY").Where(c => !c.StartsWith("--from", StringComparison.Ordinal)))
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[..^1])
            {
                Assert.True(File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"COPY source '{source}' is not in the repository");
            }
        }

        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore"));
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
    }

    private static JsonObject ReadCompose() =>
        YamlJson.Convert(File.ReadAllText(Path.Combine(Root, "compose.yaml")))!.AsObject();

    /// <summary>The Dockerfile's instructions, one per line: continuation lines joined, comments dropped.</summary>
    private static List<string> ReadDockerfile()
    {
        var text = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        var withoutComments = string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
        return [.. Continuation().Replace(withoutComments, " ").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
    }

    private static List<string> Instruction(List<string> lines, string name) =>
        [.. lines.Where(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Select(l => l[(name.Length + 1)..].Trim())];

    [GeneratedRegex(@"\\\s*\n\s*")]
    private static partial Regex Continuation();
}
