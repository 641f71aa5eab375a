using System.Text.Json;
using Keel.Compute.Drift;
using Xunit;

namespace Keel.Compute.Tests.Drift;

/// <summary>
/// Scores against drift_reference.json, written by reference/make_reference.py: Evidently
/// 0.7.21's formulas re-stated with the scipy/numpy calls Evidently makes (Debian's scipy).
/// </summary>
public sealed class DriftReferenceTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Score_matches_scipy_reference(string name)
    {
        var c = Cases().Single(x => x.GetProperty("name").GetString() == name);
        var method = c.GetProperty("method").ValueKind == JsonValueKind.Null ? null : c.GetProperty("method").GetString();
        var options = method is null ? DriftOptions.Default : new DriftOptions { Method = method };
        DriftColumn column;
        if (c.GetProperty("kind").GetString() == "num")
        {
            column = DriftColumn.Numeric("x", Doubles(c.GetProperty("reference")), Doubles(c.GetProperty("current")));
        }
        else
        {
            column = DriftColumn.Categorical("x", Strings(c.GetProperty("reference")), Strings(c.GetProperty("current")));
        }

        var result = DriftEngine.CompareColumn(column, options);
        var expected = c.GetProperty("score").GetDouble();
        Assert.Equal(c.GetProperty("expected_method").GetString(), result.StatTest);
        Assert.True(Math.Abs(result.DriftScore - expected) <= 1e-12 + 1e-9 * Math.Abs(expected),
            $"{name}: expected {expected:R}, got {result.DriftScore:R}");
        Assert.True(result.Exact);
    }

    private static double[] Doubles(JsonElement array) =>
        array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray();

    private static string?[] Strings(JsonElement array) =>
        array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? null : v.GetString()).ToArray();

    private static IEnumerable<JsonElement> Cases()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Drift", "reference", "drift_reference.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
