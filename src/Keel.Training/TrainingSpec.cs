namespace Keel.Training;

/// <summary>
/// Everything a training run needs: data, task, features, validation, search budget, seed,
/// fairness and tracking. Built from YAML by <see cref="TrainingSpecParser"/> or in code;
/// <see cref="TrainingSpecParser.Validate"/> checks it and names the offending field.
/// </summary>
public sealed record TrainingSpec
{
    /// <summary>Path of a CSV (header row) or Parquet file.</summary>
    public required string Data { get; init; }

    /// <summary>The column to predict.</summary>
    public required string Label { get; init; }

    /// <summary>Binary, multiclass or regression.</summary>
    public required TrainingTask Task { get; init; }

    /// <summary>Feature columns; null means every column except the label, the time column and <see cref="Exclude"/>.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Columns never used as features (ids, leaks).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Columns forced to be categorical even when they parse as numbers.</summary>
    public IReadOnlyList<string> Categorical { get; init; } = [];

    /// <summary>Columns forced to be featurized as free text.</summary>
    public IReadOnlyList<string> Text { get; init; } = [];

    /// <summary>Categoricals with more distinct values than this are hashed instead of one-hot encoded.</summary>
    public int MaxOneHotValues { get; init; } = 64;

    /// <summary>CSV field separator.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>For binary tasks: the label value that is the positive class. Default: 1/true/yes if present, else the second value in ordinal order.</summary>
    public string? PositiveClass { get; init; }

    /// <summary>How trials are scored.</summary>
    public ValidationSpec Validation { get; init; } = new();

    /// <summary>Metric to optimise; default auc (binary), macro_accuracy (multiclass), rmse (regression).</summary>
    public string? Metric { get; init; }

    /// <summary>Wall-clock budget of the search in seconds. With <see cref="Trials"/> too, whichever ends first.</summary>
    public double? TimeBudgetSeconds { get; init; }

    /// <summary>Number of trials (hyperparameter configurations) drawn. Default 20 when no time budget is set.</summary>
    public int? Trials { get; init; }

    /// <summary>Trainers to search: lightgbm, fasttree, fastforest, sdca, lbfgs. Empty means all that fit the task.</summary>
    public IReadOnlyList<string> Trainers { get; init; } = [];

    /// <summary>Trials trained at once; default the processor count.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Seed of the split, the trial list and every trainer.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Columns whose groups are compared for fairness.</summary>
    public IReadOnlyList<string> Sensitive { get; init; } = [];

    /// <summary>Limits that fail the fairness check.</summary>
    public FairnessLimits FairnessLimits { get; init; } = new();

    /// <summary>Experiment to log to (created when missing); null means the Default experiment.</summary>
    public string? Experiment { get; init; }

    /// <summary>Registered model name for the best model, when registration is wanted.</summary>
    public string? RegisterAs { get; init; }

    /// <summary>Name of the parent run; default <c>train-{label}</c>.</summary>
    public string? RunName { get; init; }

    /// <summary>
    /// The dataset version <see cref="Data"/> was checked out from, when the spec named a
    /// <c>datasets:/</c> URI: the run logs it as its MLflow dataset input (lineage) and the model
    /// package keeps its URI and profile (the reference monitoring compares traffic with).
    /// </summary>
    public Keel.Core.Data.DatasetVersion? DatasetVersion { get; init; }
}
