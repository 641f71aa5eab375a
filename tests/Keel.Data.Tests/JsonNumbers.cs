using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Data.Tests;

/// <summary>JSON equality where 41 equals 41.0 and floats agree to 1e-9 relative (pandas prints ints with nulls as floats).</summary>
internal static class JsonNumbers
{
    public static bool Equal(JsonNode? a, JsonNode? b, double tolerance = 1e-9)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        switch (a)
        {
            case JsonArray x when b is JsonArray y:
                return x.Count == y.Count && x.Zip(y).All(p => Equal(p.First, p.Second, tolerance));
            case JsonObject x when b is JsonObject y:
                return x.Count == y.Count && x.All(p => y.ContainsKey(p.Key) && Equal(p.Value, y[p.Key], tolerance));
            case JsonValue x when b is JsonValue y:
                if (x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number)
                {
                    var (p, q) = (Number(x), Number(y));
                    return p == q || Math.Abs(p - q) <= tolerance * Math.Max(1, Math.Max(Math.Abs(p), Math.Abs(q)));
                }

                return JsonNode.DeepEquals(x, y);
            default:
                return false;
        }
    }

    private static double Number(JsonValue v) => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
}
