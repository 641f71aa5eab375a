using System.Text.Json.Nodes;

namespace Keel.Data.Profiling;

/// <summary>A value and how many rows hold it.</summary>
/// <param name="Value">The value as JSON (string, number or boolean).</param>
/// <param name="Count">Rows holding it.</param>
public sealed record ValueCount(JsonNode? Value, long Count);
