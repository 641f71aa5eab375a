using System.Net;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// Artifact locations the server is given: an experiment's <c>artifact_location</c> (made absolute
/// as MLflow does; refused with a clear 400 when no store could mean it) and model-version sources
/// (MLflow's rules, and the download URI of a version copied from a <c>models:/</c> URI).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ArtifactLocationTests(ServerFixture fixture)
{
    private readonly MlflowApi _api = new(fixture.Http);

    [Theory]
    [InlineData("s3://bucket/path")]
    [InlineData("gs://bucket/path?versioned=1")]
    [InlineData("mlflow-artifacts:/team-a")]
    [InlineData("mlflow-artifacts://host:5000/team-a")]
    [InlineData("http://host/api/2.0/mlflow-artifacts/artifacts/team-a")]
    [InlineData("file:///srv/artifacts")]
    [InlineData("/srv/artifacts")]
    [InlineData("dbfs:/databricks/mlflow")]
    public async Task Locations_MLflow_accepts_are_stored_as_given(string location)
    {
        var id = await CreateAsync(location);
        Assert.Equal(location, (string?)(await _api.GetOkAsync($"experiments/get?experiment_id={id}"))["experiment"]!["artifact_location"]);
    }

    [Fact]
    public async Task A_relative_location_is_made_absolute_against_the_server_working_directory()
    {
        // The server process inherits this process's working directory (KeelCli starts it without another).
        var id = await CreateAsync("my_location");
        var stored = (string?)(await _api.GetOkAsync($"experiments/get?experiment_id={id}"))["experiment"]!["artifact_location"];
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "my_location"), stored);

        var run = await _api.CreateRunAsync(id);
        var uri = (string?)(await _api.GetOkAsync($"runs/get?run_id={run}"))["run"]!["info"]!["artifact_uri"];
        Assert.Equal($"{stored}/{run}/artifacts", uri);
    }

    [Theory]
    [InlineData("s3://bucket/path#frag", "'artifact_location' URL can't include fragments or params.")]
    [InlineData("http://host/path;params", "'artifact_location' URL can't include fragments or params.")]
    [InlineData("s3://bucket/path?x=..%2F..", "Invalid query string")]
    [InlineData("file://otherhost/share", "file://otherhost/share is not a valid remote uri.")]
    [InlineData("mlflow-artifacts:/../../etc", "Invalid value for parameter 'artifact_location'")]
    [InlineData("mlflow-artifacts:/a/%2e%2e/%2e%2e/b", "Invalid value for parameter 'artifact_location'")]
    [InlineData("http://h/api/2.0/mlflow-artifacts/artifacts/../x", "Invalid value for parameter 'artifact_location'")]
    [InlineData("ht tp://host/x", "Invalid value for parameter 'artifact_location'")]
    [InlineData("   ", "Invalid value for parameter 'artifact_location'")]
    [InlineData("/tmp/a\nb", "Invalid value for parameter 'artifact_location'")]
    [InlineData("/tmp/a\u0000b", "Invalid value for parameter 'artifact_location'")]
    public async Task Locations_no_store_can_mean_are_refused_and_nothing_is_created(string location, string message)
    {
        var name = "bad-loc-" + Guid.NewGuid().ToString("N");
        var (status, body) = await _api.PostAsync("experiments/create", new { name, artifact_location = location });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)body!["error_code"]);
        Assert.StartsWith(message, (string?)body["message"], StringComparison.Ordinal);

        var (lookup, _) = await _api.GetAsync("experiments/get-by-name?experiment_name=" + name);
        Assert.Equal(HttpStatusCode.NotFound, lookup);
    }

    [Fact]
    public async Task A_version_copied_from_a_models_uri_downloads_from_the_original_location()
    {
        var name = "copy-" + Guid.NewGuid().ToString("N");
        await _api.OkAsync("registered-models/create", new { name });
        await _api.OkAsync("model-versions/create", new { name, source = "runs:/run_id/model", run_id = "run_id_1" });
        var copy = await _api.OkAsync("model-versions/create", new { name, source = $"models:/{name}/1", run_id = "run_id_1" });
        Assert.Equal($"models:/{name}/1", (string?)copy["model_version"]!["source"]);

        var uri = await _api.GetOkAsync($"model-versions/get-download-uri?name={name}&version=2");
        Assert.Equal("runs:/run_id/model", (string?)uri["artifact_uri"]);

        // Resolved once at registration: deleting the original does not move the copy.
        await _api.DeleteAsync("model-versions/delete", new { name, version = "1" });
        uri = await _api.GetOkAsync($"model-versions/get-download-uri?name={name}&version=2");
        Assert.Equal("runs:/run_id/model", (string?)uri["artifact_uri"]);
    }

    [Fact]
    public async Task A_models_source_naming_no_version_is_refused_and_nothing_is_created()
    {
        var name = "copy-bad-" + Guid.NewGuid().ToString("N");
        await _api.OkAsync("registered-models/create", new { name });
        var (status, body) = await _api.PostAsync("model-versions/create", new { name, source = $"models:/{name}/7" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith($"Unable to fetch model from model URI source artifact location 'models:/{name}/7'", (string?)body!["message"], StringComparison.Ordinal);
        Assert.Null((await _api.GetOkAsync($"model-versions/search?filter=name%3D%27{name}%27"))["model_versions"]);
    }

    [Theory]
    [InlineData("something not correct", "Model version must be an integer, got 'something not correct'")]
    [InlineData("1.5", "Model version must be an integer, got '1.5'")]
    [InlineData("0", "Model version must be a positive integer, got '0'")]
    public async Task A_version_that_is_not_a_number_is_refused_in_MLflow_words(string version, string message)
    {
        var (status, body) = await _api.GetAsync($"model-versions/get?name=m&version={Uri.EscapeDataString(version)}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(message, (string?)body!["message"]);
    }

    [Theory]
    [InlineData("/tmp", true, "To use a local path as a model version")]
    [InlineData("file:///tmp", false, "To use a local path as a model version")]
    [InlineData("relative/model", true, "To use a local path as a model version")]
    [InlineData("mlflow-artifacts://host:9000/models/../../../", true, "If supplying a source as an http, https,")]
    [InlineData("http://host:9000/models/../../../", true, "If supplying a source as an http, https,")]
    [InlineData("s3a://my_bucket/api/2.0/mlflow-artifacts/artifacts/../../../", true, "If supplying a source as an http, https,")]
    [InlineData("mlflow-artifacts://host:9000/models/..%2f..%2fartifacts", true, "If supplying a source as an http, https,")]
    [InlineData("mlflow-artifacts://host:9000/models/artifact%00", true, "If supplying a source as an http, https,")]
    [InlineData("file://123.456.789.123/path/to/source", true, "file://123.456.789.123/path/to/source is not a valid remote uri")]
    public async Task Sources_MLflow_rejects_are_refused_and_nothing_is_created(string source, bool withRun, string message)
    {
        var name = "src-" + Guid.NewGuid().ToString("N");
        await _api.OkAsync("registered-models/create", new { name });
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        var payload = withRun ? (object)new { name, source, run_id = run } : new { name, source };
        var (status, body) = await _api.PostAsync("model-versions/create", payload);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, (string?)body!["message"], StringComparison.Ordinal);
        Assert.Null((await _api.GetOkAsync($"model-versions/search?filter=name%3D%27{name}%27"))["model_versions"]);
    }

    [Theory]
    [InlineData("mlflow-artifacts:/models")]
    [InlineData("mlflow-artifacts:/models///")]
    [InlineData("mlflow-artifacts://host:9000/models/artifact/..../")]
    [InlineData("s3://bucket/model")]
    public async Task Non_local_sources_MLflow_accepts_are_registered(string source)
    {
        var name = "src-ok-" + Guid.NewGuid().ToString("N");
        await _api.OkAsync("registered-models/create", new { name });
        var created = await _api.OkAsync("model-versions/create", new { name, source });
        Assert.Equal(source, (string?)created["model_version"]!["source"]);
    }

    private async Task<string> CreateAsync(string location) =>
        (string)(await _api.OkAsync("experiments/create", new { name = "loc-" + Guid.NewGuid().ToString("N"), artifact_location = location }))["experiment_id"]!;
}
