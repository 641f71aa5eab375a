using Keel.Compute.Drift;
using Keel.Core.Monitoring;

namespace Keel.Application.Monitoring;

/// <summary>
/// Drift of a window's merged sketches against a reference profile, with Evidently's tests applied
/// to binned summaries (<see cref="DriftEngine.CompareSummaries(string, HistogramSummary, HistogramSummary, DriftOptions?)"/>):
/// numeric columns on the profile's histogram bins (plus values outside them), categorical columns
/// on the profile's most frequent values (plus the rest as one "other" category).
/// </summary>
internal static class SketchDrift
{
    public static (DriftFigures? Drift, ColumnDriftFigures? Prediction) Compare(MonitoringReference reference, VersionSketch current, DriftSettings settings)
    {
        var options = settings.ToOptions();
        var results = new List<ColumnDriftResult>();
        foreach (var (name, column) in reference.Features.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (current.Features.TryGetValue(name, out var sketch) && Column(name, column, sketch, options) is { } result)
            {
                results.Add(result);
            }
        }

        DriftFigures? drift = null;
        if (results.Count > 0)
        {
            var dataset = DatasetDriftResult.FromColumns(results, options.DriftShare);
            drift = new DriftFigures(
                reference.Source, dataset.DatasetDrift, dataset.NumberOfColumns, dataset.NumberOfDriftedColumns, dataset.ShareOfDriftedColumns, dataset.DriftShare,
                [.. dataset.Columns.Select(Figures)]);
        }

        ColumnDriftFigures? prediction = null;
        if (reference.Target is { } target && current.Prediction is { } answers && Column("prediction", target, answers, DriftOptions.Default) is { } predicted)
        {
            prediction = Figures(predicted);
        }

        return (drift, prediction);
    }

    private static ColumnDriftResult? Column(string name, ColumnReference reference, FeatureSketch current, DriftOptions options)
    {
        if (current.Count == 0 || current.Kind != reference.Kind)
        {
            return null;
        }

        try
        {
            if (reference.Kind == FeatureSketch.Numeric)
            {
                var referenceSummary = new HistogramSummary
                {
                    Edges = reference.Edges!,
                    Counts = reference.Counts!,
                    Mean = reference.Mean ?? 0,
                    StandardDeviation = reference.Std ?? 0,
                    KnownValues = reference.Distinct <= HistogramSummary.MaxKnownValues ? Midpoints(reference.Edges!, reference.Counts!) : null,
                };
                var currentSummary = new HistogramSummary
                {
                    Edges = current.Edges!,
                    Counts = current.Counts!,
                    Underflow = current.Under,
                    Overflow = current.Over,
                    Mean = current.Mean() ?? 0,
                    StandardDeviation = current.Std() ?? 0,
                    KnownValues = current.Under + current.Over == 0 && current.Counts!.Count(c => c > 0) <= HistogramSummary.MaxKnownValues ? Midpoints(current.Edges!, current.Counts!) : null,
                };
                return DriftEngine.CompareSummaries(name, referenceSummary, currentSummary, options);
            }

            return DriftEngine.CompareSummaries(
                name,
                new CategoryCounts { Counts = reference.Categories!, Other = reference.Other },
                new CategoryCounts { Counts = current.Categories ?? new Dictionary<string, long>(), Other = current.Other },
                options);
        }
        catch (ArgumentException)
        {
            // A method that does not apply to this column's type (settings checked names, not types):
            // the column is left out rather than failing the window.
            return null;
        }
    }

    // The automatic choice needs only how many distinct values there are; with one bin per value
    // (a profile of a column with few integers) a non-empty bin's midpoint is that value.
    private static double[] Midpoints(IReadOnlyList<double> edges, IReadOnlyList<long> counts) =>
        [.. Enumerable.Range(0, counts.Count).Where(i => counts[i] > 0).Select(i => (edges[i] + edges[i + 1]) / 2)];

    private static ColumnDriftFigures Figures(ColumnDriftResult r) =>
        new(r.Column, r.ColumnType, r.StatTest, r.DriftScore, r.Threshold, r.DriftDetected, r.Binning, r.Exact, r.CurrentCount);
}
