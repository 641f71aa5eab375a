namespace Keel.Compute.Metrics;

/// <summary>The metrics of one group of a sensitive column.</summary>
/// <param name="Group">The group's value.</param>
/// <param name="Metrics">count, and per task: selection_rate, tpr, fpr, accuracy, auc (binary); accuracy (multiclass); mae, rmse (regression).</param>
public sealed record GroupMetrics(string Group, IReadOnlyDictionary<string, double> Metrics);
