using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Application.Monitoring;

/// <summary>The statistics document of a bucket: one <see cref="VersionSketch"/> per model version that answered.</summary>
internal sealed class BucketSketch
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The version of this JSON shape, bumped when a field changes meaning.</summary>
    public int Format { get; set; } = 1;

    public Dictionary<string, VersionSketch> Versions { get; set; } = new(StringComparer.Ordinal);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BucketSketch Parse(string json) => JsonSerializer.Deserialize<BucketSketch>(json, Json) ?? new BucketSketch();

    public void Merge(BucketSketch other)
    {
        foreach (var (version, sketch) in other.Versions)
        {
            if (Versions.TryGetValue(version, out var mine))
            {
                mine.Merge(sketch);
            }
            else
            {
                Versions[version] = sketch.Copy();
            }
        }
    }
}
