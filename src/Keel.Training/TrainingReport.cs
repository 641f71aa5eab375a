using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Compute.Metrics;

namespace Keel.Training;

/// <summary>Everything the artifacts describe, gathered once the best model is known.</summary>
internal sealed record TrainingReport
{
    public required TrainingSpec Spec { get; init; }

    public required DataSource Source { get; init; }

    public required DataSplits Splits { get; init; }

    public required string Metric { get; init; }

    public required IReadOnlyList<TrialSummary> Trials { get; init; }

    public required IReadOnlyList<(int Order, int Index, double Score)> Curve { get; init; }

    public required TrialSummary Best { get; init; }

    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    public required EvalSet Evaluation { get; init; }

    public required IReadOnlyDictionary<string, double> Importance { get; init; }

    public string? Contributions { get; init; }

    public required IReadOnlyList<FairnessReport> Fairness { get; init; }

    public required IReadOnlyList<string> Violations { get; init; }

    public required ReproInfo Repro { get; init; }

    public required double SearchSeconds { get; init; }

    public IReadOnlyList<string> ClassNames => Source.LabelValues;

    /// <summary>Writes plots, explanations, fairness, evaluation and search files under <paramref name="directory"/>.</summary>
    public void WriteFiles(string directory)
    {
        var invariant = CultureInfo.InvariantCulture;
        Write(directory, "plots/search_learning_curve.svg", SearchCurve());
        switch (Evaluation.Task)
        {
            case TrainingTask.Binary:
                var (fpr, tpr) = BinaryMetrics.Roc(Evaluation.BinaryLabels, Evaluation.Probabilities);
                Write(directory, "plots/roc.svg", SvgChart.Lines($"ROC (AUC {Metrics["auc"]:F4})", "false positive rate", "true positive rate",
                    [new("model", fpr, tpr), new("chance", [0, 1], [0, 1], Dashed: true)], (0, 1), (0, 1)));
                var (recall, precision) = BinaryMetrics.PrecisionRecall(Evaluation.BinaryLabels, Evaluation.Probabilities);
                Write(directory, "plots/pr.svg", SvgChart.Lines($"Precision-recall (AP {Metrics["pr_auc"]:F4})", "recall", "precision", [new("model", recall, precision)], (0, 1), (0, 1.02)));
                var bins = BinaryMetrics.CalibrationBins(Evaluation.BinaryLabels, Evaluation.Probabilities, 10).Where(b => b.Count > 0).ToArray();
                Write(directory, "plots/calibration.svg", SvgChart.Lines("Calibration", "mean predicted probability", "observed positive rate",
                    [new("model", [.. bins.Select(b => b.MeanPredicted)], [.. bins.Select(b => b.FractionPositive)]), new("perfect", [0, 1], [0, 1], Dashed: true)], (0, 1), (0, 1)));
                var predicted = Evaluation.Probabilities.Select(p => p >= 0.5 ? 1 : 0).ToArray();
                Confusion(directory, [.. Evaluation.BinaryLabels.Select(l => l ? 1 : 0)], predicted);
                break;
            case TrainingTask.Multiclass:
                Confusion(directory, Evaluation.ClassLabels, MulticlassMetrics.Predict(Evaluation.Probabilities, Evaluation.Classes));
                break;
            default:
                var residuals = Evaluation.Actual.Select((a, i) => a - Evaluation.Predicted[i]).ToArray();
                Write(directory, "plots/residuals.svg", SvgChart.Lines("Residuals vs predicted", "predicted", "actual - predicted",
                    [new("residual", Evaluation.Predicted, residuals, Dots: true), new("zero", [Evaluation.Predicted.Min(), Evaluation.Predicted.Max()], [0, 0], Dashed: true)]));
                Write(directory, "plots/predicted_vs_actual.svg", SvgChart.Lines("Predicted vs actual", "actual", "predicted",
                    [new("rows", Evaluation.Actual, Evaluation.Predicted, Dots: true), new("ideal", [Evaluation.Actual.Min(), Evaluation.Actual.Max()], [Evaluation.Actual.Min(), Evaluation.Actual.Max()], Dashed: true)]));
                break;
        }

        var ordered = Importance.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        Write(directory, "explain/feature_importance.csv", "feature,importance\n" + string.Concat(ordered.Select(kv => string.Create(invariant, $"{kv.Key},{kv.Value:R}\n"))));
        Write(directory, "explain/feature_importance.json", JsonSerializer.Serialize(ordered.ToDictionary(kv => kv.Key, kv => kv.Value), JsonOptions));
        if (Contributions is not null)
        {
            Write(directory, "explain/contributions.csv", Contributions);
        }

        if (Fairness.Count > 0)
        {
            Write(directory, "fairness/fairness.json", JsonSerializer.Serialize(new
            {
                passed = Violations.Count == 0,
                violations = Violations,
                columns = Fairness.Select(f => new { column = f.Column, gaps = f.Gaps, groups = f.Groups.Select(g => new { group = g.Group, metrics = g.Metrics }) }),
            }, JsonOptions));
        }

        Write(directory, "evaluation/metrics.json", JsonSerializer.Serialize(Metrics, JsonOptions));
        var trials = new StringBuilder("index,run_id,trainer,state,rung,score,train_seconds,total_seconds,hyperparameters\n");
        foreach (var t in Trials)
        {
            var hp = string.Join(';', t.Hyperparameters.Select(kv => string.Create(invariant, $"{kv.Key}={kv.Value:G6}")));
            trials.Append(invariant, $"{t.Index},{t.RunId},{t.Trainer},{t.State},{t.Rung},{t.Score:R},{t.TrainSeconds:F4},{t.TotalSeconds:F4},{hp}\n");
        }

        Write(directory, "search/trials.csv", trials.ToString());
        var card = ModelCard.Markdown(this);
        Write(directory, "model_card.md", card);
        Write(directory, "model_card.html", ModelCard.Html(card));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private string SearchCurve()
    {
        var lower = TrainingMetrics.LowerIsBetter(Metric);
        var all = Trials.Where(t => t.State == "completed").OrderBy(t => t.Index).ToList();
        var best = new List<double>();
        var running = double.NaN;
        foreach (var point in Curve)
        {
            running = double.IsNaN(running) ? point.Score : lower ? Math.Min(running, point.Score) : Math.Max(running, point.Score);
            best.Add(running);
        }

        return SvgChart.Lines($"Search: {Metric} of full-budget trials", "trials completed", Metric,
        [
            new("trial", [.. Curve.Select(c => (double)c.Order + 1)], [.. Curve.Select(c => c.Score)], Dots: true),
            new("best so far", [.. Enumerable.Range(1, best.Count).Select(i => (double)i)], [.. best]),
        ]);
    }

    private void Confusion(string directory, int[] labels, int[] predicted)
    {
        var names = ClassNames;
        var matrix = MulticlassMetrics.ConfusionMatrix(labels, predicted, names.Count);
        Write(directory, "plots/confusion_matrix.svg", SvgChart.Heatmap("Confusion matrix", names, names, matrix, "predicted", "actual"));
        var csv = new StringBuilder("actual\\predicted,").AppendJoin(',', names).Append('\n');
        for (var r = 0; r < names.Count; r++)
        {
            csv.Append(names[r]);
            for (var c = 0; c < names.Count; c++)
            {
                csv.Append(',').Append(matrix[r, c].ToString(CultureInfo.InvariantCulture));
            }

            csv.Append('\n');
        }

        Write(directory, "evaluation/confusion_matrix.csv", csv.ToString());
    }

    private static void Write(string directory, string relative, string content)
    {
        var path = Path.Combine(directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
