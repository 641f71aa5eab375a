using System.Text.Json;

namespace Keel.Application.Monitoring;

/// <summary>The quality document of a bucket: one <see cref="QualitySketch"/> per model version, with the version's classes.</summary>
internal sealed class QualityDocument
{
    public Dictionary<string, QualitySketch> Versions { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<string>> Classes { get; set; } = new(StringComparer.Ordinal);

    public string ToJson() => JsonSerializer.Serialize(this, BucketSketch.Json);

    public static QualityDocument Parse(string json) => JsonSerializer.Deserialize<QualityDocument>(json, BucketSketch.Json) ?? new QualityDocument();

    public void Merge(QualityDocument other)
    {
        foreach (var (version, sketch) in other.Versions)
        {
            if (!Versions.TryGetValue(version, out var mine))
            {
                mine = new QualitySketch { Task = sketch.Task };
                Versions[version] = mine;
            }

            mine.Merge(sketch);
            if (other.Classes.TryGetValue(version, out var classes))
            {
                Classes[version] = classes;
            }
        }
    }
}
