using System.Text.Json;

namespace Keel.EndToEnd.Tests.Golden;

/// <summary>One recorded MLflow request/response pair.</summary>
public sealed record GoldenPair(int Index, string Method, string Path, string Query, string? RequestContentType, string RequestBody, int Status, string? ResponseContentType, string ResponseBody)
{
    public static IReadOnlyList<GoldenPair> Load()
    {
        var file = System.IO.Path.Combine(AppContext.BaseDirectory, "Golden", "golden-python-client-2.12.2.jsonl");
        var pairs = new List<GoldenPair>();
        foreach (var line in File.ReadLines(file))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            pairs.Add(new GoldenPair(
                pairs.Count,
                r.GetProperty("method").GetString()!,
                r.GetProperty("path").GetString()!,
                r.GetProperty("query").GetString() ?? string.Empty,
                r.GetProperty("req_content_type").ValueKind == JsonValueKind.Null ? null : r.GetProperty("req_content_type").GetString(),
                r.GetProperty("req_body").GetString() ?? string.Empty,
                r.GetProperty("status").GetInt32(),
                r.GetProperty("resp_content_type").ValueKind == JsonValueKind.Null ? null : r.GetProperty("resp_content_type").GetString(),
                r.GetProperty("resp_body").GetString() ?? string.Empty));
        }

        return pairs;
    }

    /// <summary>Registry RPCs belong to the model-registry issue; the tracking replay leaves them out.</summary>
    public bool IsRegistry => Path.Contains("/registered-models/", StringComparison.Ordinal) || Path.Contains("/model-versions/", StringComparison.Ordinal);

    public override string ToString() => $"#{Index} {Method} {Path}";
}
