using Keel.Core.Monitoring;

namespace Keel.Application.Monitoring;

/// <summary>Drift of a window's sketches against a reference, with Evidently's tests on binned summaries (Keel.Compute.Drift).</summary>
internal static class SketchDrift
{
    public static (DriftFigures? Drift, ColumnDriftFigures? Prediction) Compare(MonitoringReference reference, VersionSketch current, DriftSettings settings)
    {
        // Wired to Keel.Compute.Drift's summary form when it lands (issue 11, drift part).
        _ = reference;
        _ = current;
        _ = settings;
        return (null, null);
    }
}
