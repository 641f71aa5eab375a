namespace Keel.Training;

/// <summary>
/// Limits a run must stay within for each sensitive column; a null limit is not checked. A breach
/// marks the parent run (tag <c>keel.fairness.check</c> = failed, metric <c>fairness_check_passed</c> = 0).
/// </summary>
public sealed record FairnessLimits
{
    /// <summary>Largest allowed spread of selection rates across groups (binary).</summary>
    public double? MaxDemographicParityDifference { get; init; }

    /// <summary>Largest allowed spread of true-positive rates (binary).</summary>
    public double? MaxEqualOpportunityDifference { get; init; }

    /// <summary>Largest allowed max(TPR spread, FPR spread) (binary).</summary>
    public double? MaxEqualizedOddsDifference { get; init; }

    /// <summary>Smallest allowed AUC of any group (binary).</summary>
    public double? MinWorstGroupAuc { get; init; }

    /// <summary>Largest allowed error rate of any group (classification).</summary>
    public double? MaxWorstGroupError { get; init; }
}
