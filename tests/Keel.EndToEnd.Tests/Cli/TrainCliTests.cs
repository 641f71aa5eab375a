using System.Text.Json.Nodes;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Cli;

/// <summary>`keel train` as a user runs it.</summary>
public sealed class TrainCliTests
{
    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "data", file);

    [Fact]
    public async Task Train_tunes_registers_and_the_model_scores_its_data()
    {
        var dataDir = TempDirs.Create("keel-train-cli");
        try
        {
            var (code, stdout, stderr) = await KeelCli.RunAsync(
                ["train", "--data", Data("wine.csv"), "--label", "class", "--task", "multiclass", "--trials", "9", "--register-as", "wine", "--experiment", "wine", "--data-dir", dataDir, "--output", "json"]);
            Assert.True(code == 0, $"train failed ({code}): {stderr}\n{stdout}");
            var result = JsonNode.Parse(stdout)!;
            Assert.Equal("1", (string?)result["RegisteredVersion"]);
            Assert.True((double)result["Metrics"]!["macro_accuracy"]! > 0.9, stdout);

            var output = Path.Combine(dataDir, "wine-scored.csv");
            (code, _, stderr) = await KeelCli.RunAsync(["predict", "--model", "models:/wine/1", "--input", Data("wine.csv"), "--output", output, "--data-dir", dataDir]);
            Assert.True(code == 0, stderr);
            var lines = await File.ReadAllLinesAsync(output);
            var header = lines[0].Split(',');
            var label = Array.IndexOf(header, "class");
            var prediction = Array.IndexOf(header, "prediction");
            var agree = lines.Skip(1).Count(l => l.Split(',')[label] == l.Split(',')[prediction]);
            Assert.True(agree > 0.9 * (lines.Length - 1), $"{agree} of {lines.Length - 1} predictions match the label");
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task Train_through_a_server_and_the_SDK_register_the_same_source_form_and_history_entry()
    {
        await using var server = await KeelServerProcess.StartAsync();
        var (code, stdout, stderr) = await KeelCli.RunAsync(
            ["train", "--data", Data("wine.csv"), "--label", "class", "--task", "multiclass", "--trials", "1", "--trainers", "sdca", "--register-as", "wine",
             "--tracking-uri", server.BaseUri.ToString(), "--output", "json"]);
        Assert.True(code == 0, $"train failed ({code}): {stderr}\n{stdout}");
        var trainedRunId = (string)JsonNode.Parse(stdout)!["ParentRunId"]!;

        using var client = new Keel.Client.KeelClient(server.BaseUri);
        var trainedRun = await client.GetRunAsync(trainedRunId);
        var package = TempDirs.Create("keel-sdk-model");
        try
        {
            var pulled = await client.DownloadArtifactsAsync(trainedRunId, "model", package);
            var sdkRun = await client.StartRunAsync(trainedRun.Info.ExperimentId, "sdk");
            await Keel.ML.Repository.KeelModels.LogModelAsync(client, sdkRun.Info.RunId, pulled, registeredModelName: "wine");

            var trainedVersion = await client.GetModelVersionAsync("wine", 1);
            var sdkVersion = await client.GetModelVersionAsync("wine", 2);
            Assert.Equal(trainedRun.Info.ArtifactUri + "/model", trainedVersion.Source);
            Assert.Equal(trainedRunId, trainedVersion.RunId);
            Assert.Equal(sdkRun.Info.ArtifactUri + "/model", sdkVersion.Source);
            Assert.Equal(sdkRun.Info.RunId, sdkVersion.RunId);

            var trainedEntry = History(await client.GetRunAsync(trainedRunId));
            var sdkEntry = History(await client.GetRunAsync(sdkRun.Info.RunId));
            Assert.Equal(Shape(trainedEntry), Shape(sdkEntry));
            Assert.Equal(
                ["run_id", "artifact_path", "utc_time_created", "flavors", "model_uuid", "mlflow_version"],
                Shape(sdkEntry).Take(6).Select(s => s.Key));
        }
        finally
        {
            TempDirs.TryDelete(package);
        }

        static JsonObject History(Keel.Core.Tracking.Run run) =>
            JsonNode.Parse(run.Data.Tags.Single(t => t.Key == "mlflow.log-model.history").Value)!.AsArray().Single()!.AsObject();

        static List<(string Key, System.Text.Json.JsonValueKind Kind)> Shape(JsonObject entry) =>
            entry.Select(p => (p.Key, p.Value?.GetValueKind() ?? System.Text.Json.JsonValueKind.Null)).ToList();
    }

    [Fact]
    public async Task A_bad_spec_names_the_field_and_exits_6()
    {
        var dataDir = TempDirs.Create("keel-train-bad");
        try
        {
            var (code, _, stderr) = await KeelCli.RunAsync(["train", "--data", Data("wine.csv"), "--label", "no_such_column", "--task", "multiclass", "--trials", "3", "--data-dir", dataDir]);
            Assert.Equal(6, code);
            Assert.Contains("no_such_column", stderr, StringComparison.Ordinal);
        }
        finally
        {
            TempDirs.TryDelete(dataDir);
        }
    }
}
