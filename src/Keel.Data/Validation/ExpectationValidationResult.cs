using System.Text.Json.Nodes;

namespace Keel.Data.Validation;

/// <summary>The outcome of one expectation, in Great Expectations' shape.</summary>
/// <param name="Success">Whether the expectation held.</param>
/// <param name="Expectation">The expectation as configured.</param>
/// <param name="Result">The <c>result</c> object (counts, partial lists, <c>observed_value</c>); empty for BOOLEAN_ONLY and on an exception.</param>
/// <param name="ExceptionMessage">Why the expectation could not be evaluated (a missing column, a bad regex), or null.</param>
public sealed record ExpectationValidationResult(bool Success, ExpectationConfiguration Expectation, JsonObject Result, string? ExceptionMessage = null)
{
    /// <summary>Whether evaluating the expectation raised an error (reported in <c>exception_info</c>).</summary>
    public bool RaisedException => ExceptionMessage is not null;

    /// <summary>The result as Great Expectations' JSON.</summary>
    public JsonObject ToJsonObject() => new()
    {
        ["success"] = Success,
        ["expectation_config"] = Expectation.ToJsonObject(),
        ["result"] = Result.DeepClone(),
        ["meta"] = new JsonObject(),
        ["exception_info"] = new JsonObject
        {
            ["raised_exception"] = RaisedException,
            ["exception_traceback"] = null,
            ["exception_message"] = ExceptionMessage,
        },
    };
}
