using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Core.Artifacts;
using Keel.Core.Tracking;
using Xunit;

namespace Keel.Training.Tests;

/// <summary>
/// <c>keel train --register-as</c> and the SDK's <c>LogModelAsync</c> log and register a model one
/// way: the same source form (the run's artifact location plus the path, with the run id, as MLflow's
/// <c>log_model(registered_model_name=...)</c> registers it) and the same history entry.
/// </summary>
public sealed partial class ModelLoggingTests
{
    private static readonly string[] MlflowLeadingKeys = ["run_id", "artifact_path", "utc_time_created", "flavors", "model_uuid", "mlflow_version"];

    [Fact]
    public async Task Training_and_the_SDK_register_the_same_source_form_and_history_entry()
    {
        using var fx = new TrainingFixture();
        var trained = await fx.Runner().RunAsync(new TrainingSpec
        {
            Data = TrainingFixture.DataFile("wine.csv"), Label = "class", Task = TrainingTask.Multiclass, Trials = 1, Trainers = ["sdca"], RegisterAs = "wine",
        });
        var parent = await fx.Tracking.GetRunAsync(trained.ParentRunId);
        Assert.Equal("registered", trained.RegistrationStatus);
        Assert.Equal("wine version 1", parent.Data.Tags.Single(t => t.Key == "keel.registration").Value);

        var sdkRun = await fx.Tracking.CreateRunAsync(parent.Info.ExperimentId, "sdk", "sdk-run", null, []);
        var logged = await fx.Models.LogModelAsync(sdkRun.Info.RunId, fx.ArtifactPath(parent, "model"), "model", "wine");

        var trainedVersion = await fx.Registry.GetModelVersionAsync("wine", 1);
        var sdkVersion = await fx.Registry.GetModelVersionAsync("wine", 2);
        Assert.Equal(ArtifactUri.Parse(parent.Info.ArtifactUri).Append("model"), trainedVersion.Source);
        Assert.Equal(parent.Info.RunId, trainedVersion.RunId);
        Assert.Equal(trained.ModelUri, trainedVersion.Source);
        Assert.Equal(ArtifactUri.Parse(sdkRun.Info.ArtifactUri).Append("model"), sdkVersion.Source);
        Assert.Equal(sdkRun.Info.RunId, sdkVersion.RunId);
        Assert.Equal(logged.ArtifactUri, sdkVersion.Source);
        Assert.Equal($"runs:/{sdkRun.Info.RunId}/model", logged.ModelUri);

        var trainedEntry = HistoryEntry(parent);
        var sdkEntry = HistoryEntry(await fx.Tracking.GetRunAsync(sdkRun.Info.RunId));
        Assert.Equal(Shape(trainedEntry), Shape(sdkEntry));
        Assert.Equal(MlflowLeadingKeys, Shape(sdkEntry).Take(MlflowLeadingKeys.Length).Select(s => s.Key));
        foreach (var (entry, run) in new[] { (trainedEntry, parent), (sdkEntry, sdkRun) })
        {
            Assert.Equal(run.Info.RunId, entry.GetProperty("run_id").GetString());
            Assert.Equal("model", entry.GetProperty("artifact_path").GetString());
            Assert.Matches(PythonUtcNow(), entry.GetProperty("utc_time_created").GetString());
            Assert.Equal(JsonValueKind.Object, entry.GetProperty("flavors").GetProperty("mlnet").ValueKind);
            Assert.Equal(JsonValueKind.Number, entry.GetProperty("model_size_bytes").ValueKind);
            Assert.Equal("2.12.2", entry.GetProperty("mlflow_version").GetString());
        }
    }

    [Fact]
    public async Task Logging_a_model_twice_to_one_run_appends_to_its_history()
    {
        using var fx = new TrainingFixture();
        var trained = await fx.Runner().RunAsync(new TrainingSpec
        {
            Data = TrainingFixture.DataFile("wine.csv"), Label = "class", Task = TrainingTask.Multiclass, Trials = 1, Trainers = ["sdca"],
        });
        var parent = await fx.Tracking.GetRunAsync(trained.ParentRunId);
        Assert.Equal("none", trained.RegistrationStatus);
        await fx.Models.LogModelAsync(parent.Info.RunId, fx.ArtifactPath(parent, "model"), "copy");

        var history = JsonDocument.Parse(LoggedModelHistory.Of(await fx.Tracking.GetRunAsync(parent.Info.RunId))!).RootElement;
        Assert.Equal(["model", "copy"], history.EnumerateArray().Select(e => e.GetProperty("artifact_path").GetString()));
    }

    private static JsonElement HistoryEntry(Run run) =>
        JsonDocument.Parse(LoggedModelHistory.Of(run) ?? throw new InvalidOperationException("no history tag")).RootElement.EnumerateArray().Single();

    private static List<(string Key, JsonValueKind Kind)> Shape(JsonElement entry) =>
        entry.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind)).ToList();

    // str(datetime.utcnow()) in Python: what MLflow writes.
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")]
    private static partial Regex PythonUtcNow();
}
