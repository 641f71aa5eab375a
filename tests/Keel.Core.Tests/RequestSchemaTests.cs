using System.Text.Json;
using Keel.Core.Wire;

namespace Keel.Core.Tests;

/// <summary>The first failing field, in MLflow's order and wording (mlflow/server/handlers.py).</summary>
public sealed class RequestSchemaTests
{
    private const string Docs = " See the API docs for more information about request parameters.";

    [Theory]
    [InlineData("""{"name": 123}""", "Invalid value 123 for parameter 'name' supplied. Hint: Value was of type 'int'.")]
    [InlineData("""{}""", "Missing value for required parameter 'name'.")]
    [InlineData("""{"name": ""}""", "Missing value for required parameter 'name'.")]
    [InlineData("""{"name": "e", "artifact_location": 9.0}""", "Invalid value 9.0 for parameter 'artifact_location' supplied. Hint: Value was of type 'float'.")]
    [InlineData("""{"name": "e", "tags": "5"}""", "Invalid value 5 for parameter 'tags' supplied. Hint: Value was of type 'str'.")]
    [InlineData("""{"artifact_location": 9.0}""", "Missing value for required parameter 'name'.")]
    public void Create_experiment(string json, string message) => AssertError(WireSchemas.CreateExperiment, json, message + Docs);

    [Theory]
    [InlineData("""{"run_id": 31, "key": "m", "value": 41, "timestamp": 59}""", "Invalid value 31 for parameter 'run_id' supplied. Hint: Value was of type 'int'.")]
    [InlineData("""{"run_uuid": 31, "key": "m", "value": 41, "timestamp": 59}""", "Invalid value 31 for parameter 'run_id' supplied. Hint: Value was of type 'int'.")]
    [InlineData("""{"run_id": "r", "value": 41, "timestamp": 59, "step": "foo"}""", "Missing value for required parameter 'key'.")]
    [InlineData("""{"run_id": "r", "key": "m", "value": 41, "timestamp": 59, "step": "foo"}""", "Invalid value foo for parameter 'step' supplied. Hint: Value was of type 'str'.")]
    [InlineData("""{"run_id": "r", "key": "m", "value": "x", "timestamp": 59}""", "Invalid value x for parameter 'value' supplied. Hint: Value was of type 'str'.")]
    [InlineData("""{"run_id": "r", "key": "m", "value": [1], "timestamp": 59}""", "Invalid value [1] for parameter 'value' supplied. Hint: Value was of type 'list'.")]
    public void Log_metric(string json, string message) => AssertError(WireSchemas.LogMetric, json, message + Docs);

    [Theory]
    [InlineData("""{"run_id": "r", "key": "m", "value": " 4.5 ", "timestamp": "59", "step": "1_000"}""")]
    [InlineData("""{"run_id": "r", "key": "m", "value": "NaN", "timestamp": 59, "step": 1.5}""")]
    [InlineData("""{"run_id": "r", "key": "m", "value": "-inf", "timestamp": true}""")]
    public void Values_python_can_convert_pass(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Null(WireSchemas.LogMetric.FirstError(document.RootElement));
    }

    [Fact]
    public void A_missing_run_id_comes_before_a_malformed_dataset()
    {
        AssertError(WireSchemas.LogInputs, """{"datasets": ["{\"dataset\": {}}"]}""", "Missing value for required parameter 'run_id'." + Docs);
    }

    [Fact]
    public void Log_batch_metrics_need_key_value_and_timestamp_even_when_well_typed()
    {
        using var document = JsonDocument.Parse("""{"run_id": "r", "metrics": [{"key": "mae", "value": 2.5}]}""");
        var error = WireSchemas.LogBatch.FirstError(document.RootElement, typesChecked: false);
        Assert.Equal(
            "Invalid value [{'key': 'mae', 'value': 2.5}] for parameter 'metrics' supplied. Hint: Value was of type 'list'." + Docs,
            error?.Message);
    }

    [Fact]
    public void Type_rules_are_skipped_for_a_body_that_bound()
    {
        using var document = JsonDocument.Parse("""{"metrics": [{"key": "mae", "value": 2.5, "timestamp": 1}]}""");
        Assert.Equal("Invalid value None for parameter 'run_id' supplied. Hint: Value was of type 'NoneType'." + Docs,
            WireSchemas.LogBatch.FirstError(document.RootElement)?.Message);
        Assert.Equal("Missing value for required parameter 'run_id'." + Docs,
            WireSchemas.LogBatch.FirstError(document.RootElement, typesChecked: false)?.Message);
    }

    private static void AssertError(RequestSchema schema, string json, string message)
    {
        using var document = JsonDocument.Parse(json);
        var error = schema.FirstError(document.RootElement);
        Assert.NotNull(error);
        Assert.Equal(Keel.Core.Errors.ErrorCode.InvalidParameterValue, error.Code);
        Assert.Equal(message, error.Message);
    }
}
