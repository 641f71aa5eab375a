namespace Keel.ML.Manifest;

/// <summary>
/// One column of a column-based MLflow signature, e.g. <c>{"type": "double", "name": "x", "required": true}</c>.
/// </summary>
/// <param name="Name">Column name; MLflow allows unnamed columns, matched by position.</param>
/// <param name="Type">MLflow data type: boolean, integer, long, float, double, string, binary, datetime.</param>
/// <param name="Required">Whether the column must be present in the input.</param>
public sealed record ColumnSpec(string? Name, string Type, bool Required = true);
