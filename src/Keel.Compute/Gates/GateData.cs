using Keel.Compute.Metrics;

namespace Keel.Compute.Gates;

/// <summary>
/// One evaluation set (or one slice of it) in typed arrays, scored by the challenger and perhaps the
/// champion. Every metric, test input and bootstrap metric comes from here, so both models and all
/// slices are measured by the same code.
/// </summary>
internal sealed class GateData
{
    private GateData(GateTask task, int classes, IReadOnlyList<string> classNames, double threshold, double[] labels, double[] challenger, double[]? champion)
    {
        Task = task;
        Classes = classes;
        ClassNames = classNames;
        Threshold = threshold;
        Labels = labels;
        Challenger = challenger;
        Champion = champion;
        BinaryLabels = task == GateTask.Binary ? [.. labels.Select(v => v == 1)] : [];
        ClassLabels = task == GateTask.Multiclass ? [.. labels.Select(v => (int)v)] : [];
    }

    public GateTask Task { get; }

    public int Rows => Labels.Length;

    public int Classes { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public double Threshold { get; }

    public double[] Labels { get; }

    public bool[] BinaryLabels { get; }

    public int[] ClassLabels { get; }

    public double[] Challenger { get; }

    public double[]? Champion { get; }

    public static GateData Create(GateInputs inputs, int classes)
    {
        var names = inputs.ClassNames ?? [.. Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        return new GateData(inputs.Task, classes, names, inputs.Policy.Threshold, [.. inputs.Labels], [.. inputs.ChallengerPredictions], inputs.ChampionPredictions is null ? null : [.. inputs.ChampionPredictions]);
    }

    /// <summary>The rows given, in order, as a data set of their own.</summary>
    public GateData Subset(IReadOnlyList<int> rows)
    {
        var width = Task == GateTask.Multiclass ? Classes : 1;
        return new GateData(Task, Classes, ClassNames, Threshold, [.. rows.Select(r => Labels[r])], Gather(Challenger, rows, width), Champion is null ? null : Gather(Champion, rows, width));
    }

    /// <summary>The metrics the existing metric code reports for these predictions, NaN values left out.</summary>
    public Dictionary<string, double> Metrics(double[] predictions)
    {
        var all = Task switch
        {
            GateTask.Binary => BinaryMetrics.Compute(BinaryLabels, predictions, Threshold),
            GateTask.Multiclass => MulticlassMetrics.Compute(ClassLabels, predictions, ClassNames),
            _ => RegressionMetrics.Compute(Labels, predictions),
        };
        if (Task == GateTask.Binary)
        {
            // The metric code answers 0.5 for AUC (and 0 for average precision) when a class is
            // absent; for a gate that is no measurement, so the metric is missing.
            var positives = BinaryLabels.Count(l => l);
            if (positives == 0 || positives == Rows)
            {
                all.Remove("auc");
            }

            if (positives == 0)
            {
                all.Remove("pr_auc");
            }
        }
        else if (Task == GateTask.Multiclass)
        {
            // One name for "share of rows right" across classification tasks.
            all["accuracy"] = all["micro_accuracy"];
        }

        return all.Where(kv => !double.IsNaN(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    /// <summary>Whether the model got each row right (classification).</summary>
    public bool[] Correct(double[] predictions)
    {
        var correct = new bool[Rows];
        if (Task == GateTask.Binary)
        {
            for (var i = 0; i < Rows; i++)
            {
                correct[i] = (predictions[i] >= Threshold) == BinaryLabels[i];
            }
        }
        else
        {
            var predicted = MulticlassMetrics.Predict(predictions, Classes);
            for (var i = 0; i < Rows; i++)
            {
                correct[i] = predicted[i] == ClassLabels[i];
            }
        }

        return correct;
    }

    /// <summary>True when the metric has an allocation-free bootstrap form (or McNemar / DeLong applies).</summary>
    public bool HasFastTest(string name) => (Task, name) switch
    {
        (GateTask.Regression, "rmse" or "mae") => true,
        (GateTask.Binary or GateTask.Multiclass, "accuracy" or "micro_accuracy" or "log_loss") => true,
        (GateTask.Binary, "auc") => true,
        _ => false,
    };

    /// <summary>The metric over drawn rows, for the bootstrap: allocation-free for the common metrics, through the metric code otherwise.</summary>
    public RowMetric RowMetric(string name, double[] predictions)
    {
        switch (Task, name)
        {
            case (GateTask.Regression, "rmse"):
                return BootstrapMetrics.Rmse(Labels, predictions);
            case (GateTask.Regression, "mae"):
                return BootstrapMetrics.Mae(Labels, predictions);
            case (GateTask.Binary or GateTask.Multiclass, "accuracy" or "micro_accuracy"):
                return BootstrapMetrics.Accuracy(Correct(predictions));
            case (GateTask.Binary, "log_loss"):
                return BootstrapMetrics.LogLoss(BinaryLabels, predictions);
            case (GateTask.Multiclass, "log_loss"):
                return BootstrapMetrics.LogLoss(ClassLabels, predictions, Classes);
            case (GateTask.Binary, "auc"):
                return BootstrapMetrics.Auc(BinaryLabels, predictions);
            default:
                return General(name, predictions);
        }
    }

    private RowMetric General(string name, double[] predictions)
    {
        // Buffers are reused across calls; the metric code allocates its own result.
        var width = Task == GateTask.Multiclass ? Classes : 1;
        var labels = new double[Rows];
        var preds = new double[Rows * width];
        return rows =>
        {
            for (var k = 0; k < rows.Length; k++)
            {
                labels[k] = Labels[rows[k]];
                Array.Copy(predictions, rows[k] * width, preds, k * width, width);
            }

            var sub = new GateData(Task, Classes, ClassNames, Threshold, labels[..rows.Length], preds[..(rows.Length * width)], null);
            return sub.Metrics(sub.Challenger).GetValueOrDefault(name, double.NaN);
        };
    }

    private static double[] Gather(double[] values, IReadOnlyList<int> rows, int width)
    {
        var result = new double[rows.Count * width];
        for (var k = 0; k < rows.Count; k++)
        {
            Array.Copy(values, rows[k] * width, result, k * width, width);
        }

        return result;
    }
}
