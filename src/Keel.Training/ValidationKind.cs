namespace Keel.Training;

/// <summary>How a spec splits its data to score trials.</summary>
public enum ValidationKind
{
    /// <summary>A seeded random fraction of rows is held out.</summary>
    Holdout,

    /// <summary>k seeded folds; each trial is scored by the mean over folds.</summary>
    KFold,

    /// <summary>The latest fraction of rows by a time column is held out (no look-ahead).</summary>
    TimeOrdered,
}
