using Keel.Compute.Serving;

namespace Keel.Application.Monitoring;

/// <summary>One model version's traffic in a bucket (or a merged window): mergeable counts and sketches.</summary>
internal sealed class VersionSketch
{
    /// <summary>The route that answered last: live, canary or shadow. Shadow traffic is a copy of live traffic and is left out of endpoint totals.</summary>
    public string Role { get; set; } = "live";

    public long Requests { get; set; }

    public long Errors { get; set; }

    public long Rows { get; set; }

    /// <summary>Scoring latency counts on <see cref="LatencyBuckets"/>.</summary>
    public long[] Latency { get; set; } = new long[LatencyBuckets.Count];

    /// <summary>The reference the feature sketches are binned on (<c>datasets:/NAME/VERSION</c>), or null.</summary>
    public string? Reference { get; set; }

    public Dictionary<string, FeatureSketch> Features { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The distribution of the model's answers (classes, or values on the label's bins).</summary>
    public FeatureSketch? Prediction { get; set; }

    public bool IsShadow => Role == "shadow";

    public VersionSketch Copy()
    {
        var copy = new VersionSketch { Role = Role, Reference = Reference, Latency = new long[Latency.Length] };
        copy.Merge(this);
        return copy;
    }

    /// <summary>Adds <paramref name="other"/>; feature sketches on other bins (another reference) are left out.</summary>
    public void Merge(VersionSketch other)
    {
        Requests += other.Requests;
        Errors += other.Errors;
        Rows += other.Rows;
        for (var i = 0; i < Math.Min(Latency.Length, other.Latency.Length); i++)
        {
            Latency[i] += other.Latency[i];
        }

        Role = other.Role;
        Reference ??= other.Reference;
        if (other.Reference != Reference)
        {
            return;
        }

        foreach (var (name, sketch) in other.Features)
        {
            if (Features.TryGetValue(name, out var mine))
            {
                mine.Merge(sketch);
            }
            else
            {
                var added = sketch.EmptyLike();
                added.Merge(sketch);
                Features[name] = added;
            }
        }

        if (other.Prediction is { } prediction)
        {
            if (Prediction is null)
            {
                Prediction = prediction.EmptyLike();
            }

            Prediction.Merge(prediction);
        }
    }
}
