using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Data.Validation;

/// <summary>
/// The outcome of a suite on one table, in Great Expectations' validation-result shape:
/// <c>success</c>, <c>results</c>, <c>suite_name</c>, <c>statistics</c> and <c>meta</c>.
/// </summary>
/// <param name="SuiteName">The suite's name.</param>
/// <param name="Results">One result per expectation, in suite order.</param>
/// <param name="Meta">Where and when: the files, their format, the validation time, the row count.</param>
public sealed record SuiteValidationResult(string SuiteName, IReadOnlyList<ExpectationValidationResult> Results, JsonObject Meta)
{
    /// <summary>Whether every expectation held (any severity).</summary>
    public bool Success => Results.All(r => r.Success);

    /// <summary>Whether an expectation of severity <c>critical</c> failed: the gate that refuses a dataset version.</summary>
    public bool HasCriticalFailure => Results.Any(r => !r.Success && r.Expectation.Severity == ExpectationConfiguration.Critical);

    /// <summary>Expectations evaluated.</summary>
    public int Evaluated => Results.Count;

    /// <summary>Expectations that held.</summary>
    public int Successful => Results.Count(r => r.Success);

    /// <summary>The share that held, in percent; null for an empty suite.</summary>
    public double? SuccessPercent => Evaluated == 0 ? null : Successful * 100.0 / Evaluated;

    /// <summary>The result as Great Expectations' JSON.</summary>
    public JsonObject ToJsonObject() => new()
    {
        ["success"] = Success,
        ["results"] = new JsonArray(Results.Select(r => (JsonNode)r.ToJsonObject()).ToArray()),
        ["suite_name"] = SuiteName,
        ["suite_parameters"] = new JsonObject(),
        ["statistics"] = new JsonObject
        {
            ["evaluated_expectations"] = Evaluated,
            ["successful_expectations"] = Successful,
            ["unsuccessful_expectations"] = Evaluated - Successful,
            ["success_percent"] = SuccessPercent,
        },
        ["meta"] = Meta.DeepClone(),
    };

    /// <summary>The result as indented JSON.</summary>
    public string ToJson() => ToJsonObject().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
