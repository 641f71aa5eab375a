namespace Keel.Core.Monitoring;

/// <summary>Quality over labelled predictions.</summary>
/// <param name="Labeled">Labelled rows.</param>
/// <param name="Metrics">accuracy, precision, recall, f1, auc, log_loss (classifiers); rmse, mae, r2 (regressors).</param>
public sealed record QualityFigures(long Labeled, IReadOnlyDictionary<string, double> Metrics);
