namespace Keel.Training;

/// <summary>The validation scheme of a <see cref="TrainingSpec"/>.</summary>
public sealed record ValidationSpec
{
    /// <summary>Holdout (default), k-fold or time-ordered.</summary>
    public ValidationKind Kind { get; init; } = ValidationKind.Holdout;

    /// <summary>Share of rows held out (holdout and time-ordered), in (0, 1).</summary>
    public double Fraction { get; init; } = 0.2;

    /// <summary>Number of folds for k-fold, at least 2.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>The fewest folds of a k-fold split.</summary>
    public const int MinFolds = 2;

    /// <summary>The most folds of a k-fold split.</summary>
    public const int MaxFolds = 50;

    /// <summary>The numeric column that orders rows in time (time-ordered only); it is not used as a feature.</summary>
    public string? TimeColumn { get; init; }
}
