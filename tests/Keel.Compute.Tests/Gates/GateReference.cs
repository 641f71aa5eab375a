using System.Text.Json;

namespace Keel.Compute.Tests.Gates;

/// <summary>Reads gate_reference.json, written by reference/make_reference.py.</summary>
internal static class GateReference
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Gates", "reference", "gate_reference.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.Clone();
    });

    public static JsonElement Section(string name) => Root.Value.GetProperty(name);

    public static JsonElement Case(string section, string name) =>
        Section(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static IEnumerable<string> Names(string section) =>
        Section(section).EnumerateArray().Select(c => c.GetProperty("name").GetString()!);

    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static bool[] Bools(JsonElement e) =>
        e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.True || (v.ValueKind == JsonValueKind.Number && v.GetDouble() != 0)).ToArray();

    public static void Close(double expected, double actual, string what, double relative = 1e-9)
    {
        Xunit.Assert.True(
            Math.Abs(actual - expected) <= 1e-13 + (relative * Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R}");
    }
}
