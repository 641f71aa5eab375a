namespace Keel.Compute.Metrics;

/// <summary>Per-group metrics of one sensitive column and the gaps between its groups.</summary>
/// <param name="Column">The sensitive column.</param>
/// <param name="Groups">Groups in ordinal order of their value.</param>
/// <param name="Gaps">demographic_parity_difference, equal_opportunity_difference, equalized_odds_difference, worst_group_auc, worst_group_error (binary); accuracy_difference, worst_group_error (multiclass); mae_difference, worst_group_mae (regression).</param>
public sealed record FairnessReport(string Column, IReadOnlyList<GroupMetrics> Groups, IReadOnlyDictionary<string, double> Gaps);
