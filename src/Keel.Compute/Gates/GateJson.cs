using System.Text.Json.Serialization;

namespace Keel.Compute.Gates;

/// <summary>Source-generated JSON for gate policies and reports (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(GateReport))]
[JsonSerializable(typeof(GatePolicy))]
public sealed partial class GateJson : JsonSerializerContext;
