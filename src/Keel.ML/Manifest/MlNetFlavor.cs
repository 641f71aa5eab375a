namespace Keel.ML.Manifest;

/// <summary>The <c>flavors.mlnet</c> section: Keel's own flavor for ML.NET models.</summary>
/// <param name="Data">The ML.NET model zip, relative to the model directory.</param>
/// <param name="MlNetVersion">The Microsoft.ML version that saved the model.</param>
/// <param name="InputSchema">The columns the model's input data view must have, in order.</param>
/// <param name="Task">binary, multiclass or regression.</param>
/// <param name="LabelColumn">The label column the model was trained on.</param>
/// <param name="LabelValues">For classifiers, the original label values (binary: negative then positive).</param>
public sealed record MlNetFlavor(
    string Data,
    string MlNetVersion,
    IReadOnlyList<ColumnSpec> InputSchema,
    string Task,
    string? LabelColumn,
    IReadOnlyList<string> LabelValues)
{
    /// <summary>The flavor name in the MLmodel file.</summary>
    public const string Name = "mlnet";

    internal static MlNetFlavor? From(IReadOnlyDictionary<string, object?>? map)
    {
        if (map is null)
        {
            return null;
        }

        var schema = new List<ColumnSpec>();
        if (map.TryGetValue("input_schema", out var s) && s is IEnumerable<object?> items)
        {
            foreach (var item in items.OfType<IReadOnlyDictionary<string, object?>>())
            {
                schema.Add(new ColumnSpec(item.Str("name"), item.Str("type") ?? "float"));
            }
        }

        return new MlNetFlavor(
            map.Str("data") ?? "model.zip",
            map.Str("mlnet_version") ?? string.Empty,
            schema,
            map.Str("task") ?? "regression",
            map.Str("label_column"),
            map.StrList("label_values"));
    }

    internal Dictionary<string, object?> ToTree() => new(StringComparer.Ordinal)
    {
        ["data"] = Data,
        ["mlnet_version"] = MlNetVersion,
        ["input_schema"] = InputSchema
            .Select(c => (object?)new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = c.Name, ["type"] = c.Type })
            .ToList(),
        ["task"] = Task,
        ["label_column"] = LabelColumn,
        ["label_values"] = LabelValues.ToList(),
    };
}
