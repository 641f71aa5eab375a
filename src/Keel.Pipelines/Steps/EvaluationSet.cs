using System.Globalization;
using Keel.Compute.Metrics;
using Keel.Core.Errors;
using Keel.Data.Tables;

namespace Keel.Pipelines.Steps;

/// <summary>
/// Labels and predictions of a scored table as plain arrays, and their metrics from
/// <c>Keel.Compute.Metrics</c>, the code training uses, so a model's figures here and in its
/// training run mean the same thing. Rows without a label are left out (counted in <see cref="Unlabelled"/>).
/// </summary>
internal sealed class EvaluationSet
{
    private EvaluationSet(string task, int[] rows, string[] labels)
    {
        Task = task;
        Rows = rows;
        Labels = labels;
    }

    public string Task { get; }

    /// <summary>Each kept row's index in the table (0-based, file order).</summary>
    public int[] Rows { get; }

    /// <summary>Labels as text (as the model's label values are).</summary>
    public string[] Labels { get; }

    /// <summary>The model's prediction per row, as text.</summary>
    public string?[] Predictions { get; private init; } = [];

    /// <summary>Binary: the positive probability; multiclass: the predicted class's probability; regression: the prediction.</summary>
    public double[] Scores { get; private init; } = [];

    /// <summary>Binary: the positive class.</summary>
    public string? Positive { get; private init; }

    /// <summary>Classifiers: class names in index order (binary: negative then positive).</summary>
    public IReadOnlyList<string> Classes { get; private init; } = [];

    /// <summary>Multiclass: probabilities, row-major in <see cref="Classes"/> order.</summary>
    public double[] Probabilities { get; private init; } = [];

    public int Unlabelled { get; private init; }

    public int Count => Rows.Length;

    /// <summary>Reads a scored table (prediction columns as <see cref="Keel.ML.Batch.BatchPredictor"/> writes them).</summary>
    /// <param name="table">The scored table.</param>
    /// <param name="task">binary, multiclass or regression.</param>
    /// <param name="label">The label column.</param>
    /// <param name="classes">The model's label values, when it records them (binary: negative then positive).</param>
    /// <param name="positiveClass">Binary: the positive class, when given.</param>
    /// <param name="field">How errors name the step.</param>
    public static EvaluationSet Read(ColumnarTable table, string task, string label, IReadOnlyList<string> classes, string? positiveClass, string field)
    {
        if (!table.Names.Contains(label))
        {
            throw KeelException.InvalidParameter($"{field}: label column '{label}' is not in the dataset (columns: {string.Join(", ", table.Names.Where(n => n != "prediction" && !n.StartsWith("probability_", StringComparison.Ordinal)))}).");
        }

        var text = Text(table, label);
        var kept = Enumerable.Range(0, text.Length).Where(i => text[i] is not null).ToArray();
        var labels = kept.Select(i => text[i]!).ToArray();
        var unlabelled = text.Length - kept.Length;
        var predicted = table.Names.Contains("prediction") ? Text(table, "prediction") : new string?[text.Length];
        var predictions = kept.Select(i => predicted[i]).ToArray();
        switch (task)
        {
            case "binary":
            {
                var names = classes.Count == 2 ? classes : labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                // Without recorded label values, training's rule: 1/true/yes when present, else the last in ordinal order.
                var positive = positiveClass
                    ?? (classes.Count == 2 ? classes[1] : names.FirstOrDefault(v => v is "1" or "true" or "True" or "TRUE" or "yes" or "Yes") ?? names.LastOrDefault() ?? "1");
                var column = "probability_" + positive;
                double[] probability = table.Numeric.TryGetValue(column, out var p) ? p
                    : table.Numeric.TryGetValue("prediction", out var raw) ? raw
                    : throw KeelException.InvalidParameter(
                        $"{field}: the model gave no probability for class '{positive}' (columns: {string.Join(", ", table.Names.Where(n => n.StartsWith("probability_", StringComparison.Ordinal)))}); check positive_class.");
                var negative = names.FirstOrDefault(n => n != positive) ?? "0";
                return new EvaluationSet(task, kept, labels)
                {
                    Predictions = predictions, Scores = kept.Select(i => probability[i]).ToArray(), Positive = positive, Classes = [negative, positive], Unlabelled = unlabelled,
                };
            }

            case "multiclass":
            {
                var names = classes.Count > 0 ? classes
                    : table.Names.Where(n => n.StartsWith("probability_", StringComparison.Ordinal)).Select(n => n["probability_".Length..]).ToList();
                var columns = names.Select(n => table.Numeric.TryGetValue("probability_" + n, out var c) ? c
                    : throw KeelException.InvalidParameter($"{field}: the model gave no probability for class '{n}'.")).ToArray();
                var probabilities = new double[kept.Length * names.Count];
                var scores = new double[kept.Length];
                for (var r = 0; r < kept.Length; r++)
                {
                    for (var c = 0; c < names.Count; c++)
                    {
                        probabilities[(r * names.Count) + c] = columns[c][kept[r]];
                    }

                    scores[r] = columns.Max(c => c[kept[r]]);
                }

                var unknown = labels.FirstOrDefault(l => !names.Contains(l));
                if (unknown is not null)
                {
                    throw KeelException.InvalidParameter($"{field}: label '{unknown}' is not a class the model knows ({string.Join(", ", names)}).");
                }

                return new EvaluationSet(task, kept, labels) { Predictions = predictions, Scores = scores, Classes = names, Probabilities = probabilities, Unlabelled = unlabelled };
            }

            default:
            {
                var values = table.Numeric.TryGetValue("prediction", out var v) ? v
                    : throw KeelException.InvalidParameter($"{field}: the model's predictions are not numbers; is the task really regression?");
                foreach (var l in labels)
                {
                    if (!double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        throw KeelException.InvalidParameter($"{field}: label '{l}' is not a number; regression needs a numeric label.");
                    }
                }

                return new EvaluationSet(task, kept, labels) { Predictions = predictions, Scores = kept.Select(i => values[i]).ToArray(), Unlabelled = unlabelled };
            }
        }
    }

    /// <summary>The metrics of the rows at <paramref name="subset"/> (positions in this set), or of every row when null.</summary>
    public Dictionary<string, double> Metrics(IReadOnlyList<int>? subset = null)
    {
        var picked = subset ?? Enumerable.Range(0, Count).ToArray();
        switch (Task)
        {
            case "binary":
                return BinaryMetrics.Compute(picked.Select(i => Labels[i] == Positive).ToArray(), picked.Select(i => Scores[i]).ToArray());
            case "multiclass":
            {
                var k = Classes.Count;
                var probabilities = new double[picked.Count * k];
                for (var r = 0; r < picked.Count; r++)
                {
                    Array.Copy(Probabilities, picked[r] * k, probabilities, r * k, k);
                }

                var index = Classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
                return MulticlassMetrics.Compute(picked.Select(i => index[Labels[i]]).ToArray(), probabilities, Classes);
            }

            default:
                return RegressionMetrics.Compute(
                    picked.Select(i => double.Parse(Labels[i], NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray(),
                    picked.Select(i => Scores[i]).ToArray());
        }
    }

    /// <summary>A column's values as text (numbers in round-trip form, null for missing).</summary>
    public static string?[] Text(ColumnarTable table, string column) =>
        table.Text.TryGetValue(column, out var text)
            ? text
            : table.Numeric[column].Select(v => double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
}
