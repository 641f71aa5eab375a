using System.Net;
using Keel.EndToEnd.Tests.Infrastructure;
using Xunit;

namespace Keel.EndToEnd.Tests.Http;

/// <summary>
/// MLflow's wording for bad request fields, value and Python type included, in MLflow's order
/// (the cases of MLflow's test_rest_tracking.py *_validation tests), against a real server.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ValidationWordingTests(ServerFixture fixture)
{
    private readonly MlflowApi _api = new(fixture.Http);

    [Theory]
    [InlineData("""{"name": 123}""", "Invalid value 123 for parameter 'name' supplied. Hint: Value was of type 'int'.")]
    [InlineData("""{}""", "Missing value for required parameter 'name'.")]
    [InlineData("""{"name": "n", "artifact_location": 9.0, "tags": [{"key": "key", "value": "value"}]}""", "Invalid value 9.0 for parameter 'artifact_location' supplied. Hint: Value was of type 'float'.")]
    [InlineData("""{"name": "n", "artifact_location": "my_location", "tags": "5"}""", "Invalid value 5 for parameter 'tags' supplied. Hint: Value was of type 'str'.")]
    public async Task Create_experiment(string body, string message) => await AssertRejectedAsync("experiments/create", body, message);

    [Theory]
    [InlineData("""{"run_id": 31, "key": "metric", "value": 41, "timestamp": 59, "step": 26}""", "Invalid value 31 for parameter 'run_id' supplied. Hint: Value was of type 'int'.")]
    [InlineData("""{"run_id": "RUN", "key": 31, "value": 41, "timestamp": 59, "step": 26}""", "Invalid value 31 for parameter 'key' supplied.")]
    [InlineData("""{"run_id": "RUN", "key": "foo", "value": 31, "timestamp": 59, "step": "foo"}""", "Invalid value foo for parameter 'step' supplied. Hint: Value was of type 'str'.")]
    [InlineData("""{"run_id": "RUN", "key": "foo", "value": 31, "timestamp": "foo", "step": 41}""", "Invalid value foo for parameter 'timestamp' supplied.")]
    [InlineData("""{"run_id": null, "key": "foo", "value": 31, "timestamp": 59, "step": 41}""", "Missing value for required parameter 'run_id'.")]
    [InlineData("""{"run_id": "RUN", "value": 31, "timestamp": 59, "step": 41}""", "Missing value for required parameter 'key'.")]
    [InlineData("""{"run_id": "RUN", "key": null, "value": 31, "timestamp": 59, "step": 41}""", "Missing value for required parameter 'key'.")]
    public async Task Log_metric(string body, string message) => await AssertRejectedAsync("runs/log-metric", body, message, withRun: true);

    [Theory]
    [InlineData("runs/log-parameter", """{"run_id": 31, "key": "param", "value": 41}""", "Invalid value 31 for parameter 'run_id' supplied.")]
    [InlineData("runs/log-parameter", """{"run_id": "RUN", "key": 31, "value": 41}""", "Invalid value 31 for parameter 'key' supplied.")]
    [InlineData("runs/set-tag", """{"run_id": "RUN", "key": "param", "value": 41}""", "Invalid value 41 for parameter 'value' supplied. Hint: Value was of type 'int'.")]
    [InlineData("runs/set-tag", """{"run_id": "RUN", "value": "value"}""", "Missing value for required parameter 'key'.")]
    public async Task Log_param_and_set_tag(string path, string body, string message) => await AssertRejectedAsync(path, body, message, withRun: true);

    [Theory]
    [InlineData("""{"run_id": "RUN", "metrics": "foo"}""", "Invalid value foo for parameter 'metrics' supplied.")]
    [InlineData("""{"run_id": "RUN", "params": "foo"}""", "Invalid value foo for parameter 'params' supplied.")]
    [InlineData("""{"run_id": "RUN", "tags": "foo"}""", "Invalid value foo for parameter 'tags' supplied.")]
    [InlineData("""{"run_id": "RUN", "metrics": [{"key": "mae", "value": 2.5}]}""", "Invalid value [{'key': 'mae', 'value': 2.5}] for parameter 'metrics' supplied. Hint: Value was of type 'list'.")]
    public async Task Log_batch(string body, string message) => await AssertRejectedAsync("runs/log-batch", body, message, withRun: true);

    [Theory]
    [InlineData("""{"datasets": ["{\"dataset\": {\"name\": \"d\"}}"]}""", "Missing value for required parameter 'run_id'.")]
    [InlineData("""{"run_id": "RUN"}""", "Missing value for required parameter 'datasets'.")]
    public async Task Log_inputs(string body, string message) => await AssertRejectedAsync("runs/log-inputs", body, message, withRun: true);

    [Fact]
    public async Task A_batch_with_timestamps_and_no_steps_is_logged()
    {
        var run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
        var (status, _) = await _api.PostAsync("runs/log-batch", "{\"run_id\": \"" + run + "\", \"metrics\": [{\"key\": \"mae\", \"value\": 2.5, \"timestamp\": 123456789}]}");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private async Task AssertRejectedAsync(string path, string body, string message, bool withRun = false)
    {
        string? run = null;
        if (withRun)
        {
            run = await _api.CreateRunAsync(await _api.CreateExperimentAsync());
            body = body.Replace("\"RUN\"", "\"" + run + "\"", StringComparison.Ordinal);
        }

        var (status, json) = await _api.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)json!["error_code"]);
        Assert.Contains(message, (string?)json["message"], StringComparison.Ordinal);
        if (run is not null)
        {
            // Nothing was stored by the rejected call.
            var stored = await _api.GetOkAsync("runs/get?run_id=" + run);
            Assert.Null(stored["run"]!["data"]!["metrics"]);
            Assert.Null(stored["run"]!["data"]!["params"]);
            Assert.Null(stored["run"]!["inputs"]!["dataset_inputs"]);
        }
    }
}
