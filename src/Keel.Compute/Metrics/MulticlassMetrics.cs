namespace Keel.Compute.Metrics;

/// <summary>
/// Multiclass metrics from class indices and row-major class probabilities (<c>rows × classes</c>).
/// Micro accuracy is the share of rows right; macro accuracy is the mean per-class recall, as ML.NET names them.
/// </summary>
public static class MulticlassMetrics
{
    private const double Epsilon = 1e-15;

    /// <summary>The predicted class of each row: the arg-max of its probabilities (first on ties).</summary>
    public static int[] Predict(ReadOnlySpan<double> probabilities, int classes)
    {
        var rows = probabilities.Length / classes;
        var predicted = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                if (probabilities[(r * classes) + c] > probabilities[(r * classes) + best])
                {
                    best = c;
                }
            }

            predicted[r] = best;
        }

        return predicted;
    }

    /// <summary>Counts by (actual, predicted).</summary>
    public static long[,] ConfusionMatrix(ReadOnlySpan<int> labels, ReadOnlySpan<int> predicted, int classes)
    {
        var matrix = new long[classes, classes];
        for (var i = 0; i < labels.Length; i++)
        {
            matrix[labels[i], predicted[i]]++;
        }

        return matrix;
    }

    /// <summary>micro_accuracy, macro_accuracy, log_loss and per-class precision/recall/F1 keyed <c>class_{name}_*</c>.</summary>
    public static Dictionary<string, double> Compute(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, IReadOnlyList<string> classNames)
    {
        var classes = classNames.Count;
        if (probabilities.Length != labels.Length * classes)
        {
            throw new ArgumentException($"Expected {labels.Length * classes} probabilities, got {probabilities.Length}.");
        }

        var predicted = Predict(probabilities, classes);
        var matrix = ConfusionMatrix(labels, predicted, classes);
        double logLoss = 0;
        long correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            logLoss -= Math.Log(Math.Clamp(probabilities[(i * classes) + labels[i]], Epsilon, 1));
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        var n = Math.Max(1, labels.Length);
        var result = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["micro_accuracy"] = (double)correct / n,
            ["log_loss"] = logLoss / n,
        };
        double recallSum = 0;
        var present = 0;
        for (var c = 0; c < classes; c++)
        {
            long tp = matrix[c, c], actual = 0, predictedCount = 0;
            for (var k = 0; k < classes; k++)
            {
                actual += matrix[c, k];
                predictedCount += matrix[k, c];
            }

            var precision = predictedCount == 0 ? 0 : (double)tp / predictedCount;
            var recall = actual == 0 ? 0 : (double)tp / actual;
            if (actual > 0)
            {
                recallSum += recall;
                present++;
            }

            var key = "class_" + Sanitize(classNames[c]);
            result[key + "_precision"] = precision;
            result[key + "_recall"] = recall;
            result[key + "_f1"] = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            result[key + "_support"] = actual;
        }

        result["macro_accuracy"] = present == 0 ? 0 : recallSum / present;
        return result;
    }

    /// <summary>Makes a class name safe for an MLflow metric key (letters, digits, _ - . / and space).</summary>
    public static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '_' or '-' or '.' or '/'))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
