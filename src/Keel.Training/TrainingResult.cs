namespace Keel.Training;

/// <summary>What <see cref="TrainingRunner.RunAsync"/> produced.</summary>
public sealed record TrainingResult
{
    public required string ExperimentId { get; init; }

    /// <summary>The parent run holding the best model, its metrics and artifacts.</summary>
    public required string ParentRunId { get; init; }

    public required string Metric { get; init; }

    /// <summary>The best trial (completed at full budget).</summary>
    public required TrialSummary Best { get; init; }

    public required IReadOnlyList<TrialSummary> Trials { get; init; }

    /// <summary>Held-out metrics of the best model (k-fold: out-of-fold, plus cv_*_mean/std).</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>Feature column to permutation importance (drop of the optimised metric when the column is shuffled).</summary>
    public required IReadOnlyDictionary<string, double> FeatureImportance { get; init; }

    /// <summary>True when no fairness limit was breached (also true when none was set).</summary>
    public required bool FairnessPassed { get; init; }

    /// <summary>Human-readable breaches, empty when passed.</summary>
    public required IReadOnlyList<string> FairnessViolations { get; init; }

    /// <summary>xxh128 content hash of the data file.</summary>
    public required string DatasetHash { get; init; }

    /// <summary>Artifact location of the packaged model directory: the source its registered version has.</summary>
    public required string ModelUri { get; init; }

    /// <summary>Registered version, when registration happened.</summary>
    public string? RegisteredVersion { get; init; }

    /// <summary>registered, or none (not asked).</summary>
    public required string RegistrationStatus { get; init; }

    /// <summary>Wall-clock seconds of the search phase.</summary>
    public required double SearchSeconds { get; init; }

    /// <summary>Share of trial time spent outside trainer fitting (scoring, tracking), relative to fitting time.</summary>
    public required double TrialOverheadFraction { get; init; }
}
