namespace Keel.Compute.Gates;

/// <summary>
/// One model's metric over a multiset of row indices (a bootstrap resample repeats rows). Must not
/// keep the span, and should not allocate: it is called once per resample.
/// </summary>
/// <param name="rows">Row indices into the evaluation set, repeats allowed.</param>
/// <returns>The metric, or NaN when it is undefined on these rows (AUC with one class, say).</returns>
public delegate double RowMetric(ReadOnlySpan<int> rows);
