using System.Globalization;

namespace Keel.Application.Monitoring;

/// <summary>
/// Mergeable quality counts for labelled predictions of one model version: a confusion table,
/// log-loss sums and positive/negative score histograms (binary AUC) for classifiers; error sums
/// for regressors. Every metric is a function of sums, so a window's quality is the merge of its
/// buckets'. AUC is computed from <see cref="ScoreBins"/>-bin score histograms, pairs in the same
/// bin counting half: exact to the bin width (0.001).
/// </summary>
internal sealed class QualitySketch
{
    public const int ScoreBins = 1_000;
    private const char Separator = '\u001f';
    private const double Epsilon = 1e-15;

    public string Task { get; set; } = "binary";

    /// <summary>Rows with a label.</summary>
    public long Labeled { get; set; }

    /// <summary>Rows whose label could not be read as the task needs (a class the model does not know, a non-number for a regressor).</summary>
    public long Unusable { get; set; }

    /// <summary>Classifier: counts per "actual\u001fpredicted".</summary>
    public Dictionary<string, long>? Confusion { get; set; }

    public double LogLossSum { get; set; }

    public long LogLossCount { get; set; }

    public long[]? PositiveScores { get; set; }

    public long[]? NegativeScores { get; set; }

    public double SumError { get; set; }

    public double SumAbsError { get; set; }

    public double SumSquaredError { get; set; }

    public double SumLabel { get; set; }

    public double SumLabelSquares { get; set; }

    public long RegressionCount { get; set; }

    public bool IsClassifier => Task is "binary" or "multiclass";

    /// <summary>Adds one labelled row. <paramref name="probabilities"/> are in the order of <paramref name="classes"/>.</summary>
    public void AddClassification(string actual, string predicted, IReadOnlyList<double>? probabilities, IReadOnlyList<string> classes)
    {
        Labeled++;
        var confusion = Confusion ??= new Dictionary<string, long>(StringComparer.Ordinal);
        var key = actual + Separator + predicted;
        confusion[key] = confusion.GetValueOrDefault(key) + 1;
        if (probabilities is null || probabilities.Count != classes.Count || classes.Count == 0)
        {
            return;
        }

        var index = IndexOf(classes, actual);
        if (index < 0)
        {
            return;
        }

        LogLossSum -= Math.Log(Math.Clamp(probabilities[index], Epsilon, 1 - Epsilon));
        LogLossCount++;
        if (classes.Count == 2)
        {
            var bin = (int)Math.Clamp(Math.Floor(probabilities[1] * ScoreBins), 0, ScoreBins - 1);
            var scores = index == 1 ? (PositiveScores ??= new long[ScoreBins]) : (NegativeScores ??= new long[ScoreBins]);
            scores[bin]++;
        }
    }

    public void AddRegression(double actual, double predicted)
    {
        Labeled++;
        var error = predicted - actual;
        SumError += error;
        SumAbsError += Math.Abs(error);
        SumSquaredError += error * error;
        SumLabel += actual;
        SumLabelSquares += actual * actual;
        RegressionCount++;
    }

    public void Merge(QualitySketch other)
    {
        Labeled += other.Labeled;
        Unusable += other.Unusable;
        LogLossSum += other.LogLossSum;
        LogLossCount += other.LogLossCount;
        SumError += other.SumError;
        SumAbsError += other.SumAbsError;
        SumSquaredError += other.SumSquaredError;
        SumLabel += other.SumLabel;
        SumLabelSquares += other.SumLabelSquares;
        RegressionCount += other.RegressionCount;
        if (other.Confusion is not null)
        {
            var confusion = Confusion ??= new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (key, n) in other.Confusion)
            {
                confusion[key] = confusion.GetValueOrDefault(key) + n;
            }
        }

        PositiveScores = Add(PositiveScores, other.PositiveScores);
        NegativeScores = Add(NegativeScores, other.NegativeScores);
    }

    /// <summary>The metrics these counts support, by name (accuracy, precision, recall, f1, auc, log_loss; rmse, mae, r2).</summary>
    public SortedDictionary<string, double> Metrics(IReadOnlyList<string> classes)
    {
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (IsClassifier)
        {
            Classification(metrics, classes);
        }
        else if (RegressionCount > 0)
        {
            var n = (double)RegressionCount;
            metrics["rmse"] = Math.Sqrt(SumSquaredError / n);
            metrics["mae"] = SumAbsError / n;
            var total = SumLabelSquares - (SumLabel * SumLabel / n);
            if (total > 0)
            {
                metrics["r2"] = 1 - (SumSquaredError / total);
            }
        }

        return metrics;
    }

    private void Classification(SortedDictionary<string, double> metrics, IReadOnlyList<string> classes)
    {
        if (Confusion is not { Count: > 0 } confusion)
        {
            return;
        }

        long total = 0, correct = 0;
        var actualCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var predictedCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var hits = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, n) in confusion)
        {
            var cut = key.IndexOf(Separator, StringComparison.Ordinal);
            var actual = key[..cut];
            var predicted = key[(cut + 1)..];
            total += n;
            actualCounts[actual] = actualCounts.GetValueOrDefault(actual) + n;
            predictedCounts[predicted] = predictedCounts.GetValueOrDefault(predicted) + n;
            if (actual == predicted)
            {
                correct += n;
                hits[actual] = hits.GetValueOrDefault(actual) + n;
            }
        }

        metrics["accuracy"] = correct / (double)total;
        // Binary: the positive class is the model's second class (as in training); multiclass: macro
        // averages over every class seen among labels or predictions (scikit-learn's "macro").
        IEnumerable<string> over = Task == "binary" && classes.Count == 2 ? [classes[1]] : actualCounts.Keys.Union(predictedCounts.Keys, StringComparer.Ordinal);
        double precision = 0, recall = 0, f1 = 0;
        var count = 0;
        foreach (var c in over)
        {
            var tp = hits.GetValueOrDefault(c);
            var p = predictedCounts.GetValueOrDefault(c) is > 0 and var pc ? tp / (double)pc : 0;
            var r = actualCounts.GetValueOrDefault(c) is > 0 and var ac ? tp / (double)ac : 0;
            precision += p;
            recall += r;
            f1 += p + r > 0 ? 2 * p * r / (p + r) : 0;
            count++;
        }

        if (count > 0)
        {
            metrics["precision"] = precision / count;
            metrics["recall"] = recall / count;
            metrics["f1"] = f1 / count;
        }

        if (LogLossCount > 0)
        {
            metrics["log_loss"] = LogLossSum / LogLossCount;
        }

        if (PositiveScores is { } pos && NegativeScores is { } neg)
        {
            double positives = pos.Sum(), negatives = neg.Sum(), pairs = 0, below = 0;
            for (var b = 0; b < ScoreBins; b++)
            {
                pairs += pos[b] * (below + (0.5 * neg[b]));
                below += neg[b];
            }

            metrics["auc"] = pairs / (positives * negatives);
        }
    }

    private static long[]? Add(long[]? mine, long[]? other)
    {
        if (other is null)
        {
            return mine;
        }

        mine ??= new long[other.Length];
        for (var i = 0; i < Math.Min(mine.Length, other.Length); i++)
        {
            mine[i] += other[i];
        }

        return mine;
    }

    private static int IndexOf(IReadOnlyList<string> classes, string value)
    {
        for (var i = 0; i < classes.Count; i++)
        {
            if (string.Equals(classes[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    internal static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
