using System.Text.Json.Nodes;

namespace Keel.Data.Validation;

/// <summary>One expectation of a suite, as Great Expectations writes it.</summary>
/// <param name="Type">The expectation type, e.g. <c>expect_column_values_to_not_be_null</c>.</param>
/// <param name="Kwargs">Its keyword arguments (checked against the type when the suite is parsed).</param>
/// <param name="Meta">Free-form metadata, kept as given.</param>
/// <param name="Severity"><c>critical</c> (the default), <c>warning</c> or <c>info</c>; only critical failures gate.</param>
/// <param name="Id">The optional id Great Expectations 1.x assigns.</param>
public sealed record ExpectationConfiguration(string Type, JsonObject Kwargs, JsonObject Meta, string Severity = ExpectationConfiguration.Critical, string? Id = null)
{
    /// <summary>The severity whose failure refuses a dataset version.</summary>
    public const string Critical = "critical";

    /// <summary>A failure worth reporting that does not gate.</summary>
    public const string Warning = "warning";

    /// <summary>Informational only.</summary>
    public const string Info = "info";

    /// <summary>The configuration as Great Expectations 1.x JSON (<c>type</c>, <c>kwargs</c>, <c>meta</c>, and <c>id</c>/<c>severity</c> when set).</summary>
    public JsonObject ToJsonObject()
    {
        var obj = new JsonObject
        {
            ["type"] = Type,
            ["kwargs"] = Kwargs.DeepClone(),
            ["meta"] = Meta.DeepClone(),
        };
        if (Id is not null)
        {
            obj["id"] = Id;
        }

        obj["severity"] = Severity;
        return obj;
    }
}
