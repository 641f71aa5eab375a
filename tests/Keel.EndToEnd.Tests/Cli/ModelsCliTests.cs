using System.Text.Json.Nodes;
using Keel.Client;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.ML.Repository;
using Keel.ML.Tests;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>`keel models ...` against a server: list, show, versions, alias, stage, download.</summary>
public sealed class ModelsCliTests
{
    [Fact]
    public async Task Models_commands_manage_the_registry()
    {
        await using var server = await KeelServerProcess.StartAsync();
        var uri = server.BaseUri.ToString();
        var work = TempDirs.Create("keel-models-cli");
        try
        {
            using var client = new KeelClient(server.BaseUri);
            var run = await client.StartRunAsync(await client.GetOrCreateExperimentAsync("cli-models"), "r");
            var package = MlflowFixtures.WriteModelDirectory(Path.Combine(work, "pkg"), OnnxModelBuilder.LinearRegressor([1f, 1f, 1f], 0f),
                MlflowFixtures.RegressorMlModel("""[{"type": "double", "name": "a"}, {"type": "double", "name": "b"}, {"type": "double", "name": "c"}]"""));
            await client.LogModelAsync(run.Info.RunId, package, registeredModelName: "churn");
            await client.LogModelAsync(run.Info.RunId, package, artifactPath: "model2", registeredModelName: "churn");

            async Task<JsonNode> Json(params string[] args)
            {
                var (code, stdout, stderr) = await KeelCli.RunAsync([.. args, "--tracking-uri", uri, "--output", "json"]);
                Assert.True(code == 0, $"keel {string.Join(' ', args)} failed ({code}): {stderr}");
                return JsonNode.Parse(stdout)!;
            }

            var list = await Json("models", "list");
            Assert.Contains(list["registered_models"]!.AsArray(), m => (string?)m!["name"] == "churn");

            var versions = await Json("models", "versions", "churn");
            Assert.Equal(2, versions["model_versions"]!.AsArray().Count);

            var (code, _, stderr) = await KeelCli.RunAsync(["models", "alias", "churn", "champion", "2", "--tracking-uri", uri]);
            Assert.True(code == 0, stderr);
            (code, _, stderr) = await KeelCli.RunAsync(["models", "stage", "churn", "1", "production", "--tracking-uri", uri]);
            Assert.True(code == 0, stderr);

            var show = await Json("models", "show", "churn");
            Assert.Contains(show["registered_model"]!["aliases"]!.AsArray(), a => (string?)a!["alias"] == "champion" && (string?)a["version"] == "2");
            Assert.Contains(show["registered_model"]!["latest_versions"]!.AsArray(), v => (string?)v!["current_stage"] == "Production" && (string?)v["version"] == "1");

            // Reserved aliases are refused with the validation-failed exit code, naming the alias.
            (code, _, stderr) = await KeelCli.RunAsync(["models", "alias", "churn", "latest", "1", "--tracking-uri", uri]);
            Assert.Equal(6, code);
            Assert.Contains("latest", stderr, StringComparison.Ordinal);

            var dest = Path.Combine(work, "downloaded");
            (code, _, stderr) = await KeelCli.RunAsync(["models", "download", "models:/churn@champion", "--dest", dest, "--tracking-uri", uri]);
            Assert.True(code == 0, stderr);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(package, "model.onnx")), await File.ReadAllBytesAsync(Path.Combine(dest, "model.onnx")));
            Assert.Contains("artifact_path: model2", await File.ReadAllTextAsync(Path.Combine(dest, "MLmodel")), StringComparison.Ordinal);

            (code, _, _) = await KeelCli.RunAsync(["models", "show", "no-such-model", "--tracking-uri", uri]);
            Assert.Equal(3, code);
        }
        finally
        {
            TempDirs.TryDelete(work);
        }
    }
}
