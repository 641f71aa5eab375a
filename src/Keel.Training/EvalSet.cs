using Keel.Compute.Metrics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keel.Training;

/// <summary>
/// Labels and predictions of scored rows as plain arrays, plus each sensitive column's group per
/// row. Small (one value or one probability row per validation row), so folds concatenate into
/// out-of-fold predictions and metrics are computed by the pure code in Keel.Compute.
/// </summary>
internal sealed class EvalSet
{
    public required TrainingTask Task { get; init; }

    public required int Classes { get; init; }

    public bool[] BinaryLabels { get; init; } = [];

    public double[] Probabilities { get; init; } = [];

    public int[] ClassLabels { get; init; } = [];

    public double[] Actual { get; init; } = [];

    public double[] Predicted { get; init; } = [];

    public Dictionary<string, string[]> Groups { get; init; } = new(StringComparer.Ordinal);

    public int Count => Task switch
    {
        TrainingTask.Binary => BinaryLabels.Length,
        TrainingTask.Multiclass => ClassLabels.Length,
        _ => Actual.Length,
    };

    public static EvalSet Read(IDataView scored, TrainingTask task, int classes, IReadOnlyList<string> groupColumns)
    {
        var schema = scored.Schema;
        var label = schema[FeaturePipeline.Label];
        var score = schema.GetColumnOrNull("Probability") is { } p && task == TrainingTask.Binary ? p : schema["Score"];
        var columns = new List<DataViewSchema.Column> { label, score };
        var groupCols = groupColumns.Select(g => schema[g]).ToList();
        columns.AddRange(groupCols);
        var bools = new List<bool>();
        var doubles = new List<double>();
        var ints = new List<int>();
        var actual = new List<double>();
        var groups = groupCols.Select(_ => new List<string>()).ToList();
        using var cursor = scored.GetRowCursor(columns);
        var groupGetters = groupCols.Select(c => GroupGetter(cursor, c)).ToList();
        switch (task)
        {
            case TrainingTask.Binary:
            {
                var l = cursor.GetGetter<bool>(label);
                var s = cursor.GetGetter<float>(score);
                var isProbability = score.Name == "Probability";
                bool lv = default;
                float sv = default;
                while (cursor.MoveNext())
                {
                    l(ref lv);
                    s(ref sv);
                    bools.Add(lv);
                    doubles.Add(isProbability ? sv : 1 / (1 + Math.Exp(-sv)));
                    AddGroups(groupGetters, groups);
                }

                break;
            }

            case TrainingTask.Multiclass:
            {
                var l = cursor.GetGetter<uint>(label);
                var s = cursor.GetGetter<VBuffer<float>>(score);
                uint lv = default;
                VBuffer<float> sv = default;
                while (cursor.MoveNext())
                {
                    l(ref lv);
                    s(ref sv);
                    ints.Add((int)lv - 1);
                    var dense = sv.DenseValues().ToArray();
                    for (var c = 0; c < classes; c++)
                    {
                        doubles.Add(c < dense.Length ? dense[c] : 0);
                    }

                    AddGroups(groupGetters, groups);
                }

                break;
            }

            default:
            {
                var l = cursor.GetGetter<float>(label);
                var s = cursor.GetGetter<float>(score);
                float lv = default, sv = default;
                while (cursor.MoveNext())
                {
                    l(ref lv);
                    s(ref sv);
                    actual.Add(lv);
                    doubles.Add(sv);
                    AddGroups(groupGetters, groups);
                }

                break;
            }
        }

        var groupMap = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var g = 0; g < groupCols.Count; g++)
        {
            groupMap[groupColumns[g]] = [.. groups[g]];
        }

        return task switch
        {
            TrainingTask.Binary => new EvalSet { Task = task, Classes = 2, BinaryLabels = [.. bools], Probabilities = [.. doubles], Groups = groupMap },
            TrainingTask.Multiclass => new EvalSet { Task = task, Classes = classes, ClassLabels = [.. ints], Probabilities = [.. doubles], Groups = groupMap },
            _ => new EvalSet { Task = task, Classes = 0, Actual = [.. actual], Predicted = [.. doubles], Groups = groupMap },
        };
    }

    /// <summary>Folds' sets joined into one out-of-fold set.</summary>
    public static EvalSet Concat(IReadOnlyList<EvalSet> sets)
    {
        var first = sets[0];
        return new EvalSet
        {
            Task = first.Task,
            Classes = first.Classes,
            BinaryLabels = [.. sets.SelectMany(s => s.BinaryLabels)],
            Probabilities = [.. sets.SelectMany(s => s.Probabilities)],
            ClassLabels = [.. sets.SelectMany(s => s.ClassLabels)],
            Actual = [.. sets.SelectMany(s => s.Actual)],
            Predicted = [.. sets.SelectMany(s => s.Predicted)],
            Groups = first.Groups.Keys.ToDictionary(k => k, k => sets.SelectMany(s => s.Groups[k]).ToArray(), StringComparer.Ordinal),
        };
    }

    /// <summary>The full metric set for the task.</summary>
    public Dictionary<string, double> Metrics(IReadOnlyList<string> classNames) => Task switch
    {
        TrainingTask.Binary => BinaryMetrics.Compute(BinaryLabels, Probabilities),
        TrainingTask.Multiclass => MulticlassMetrics.Compute(ClassLabels, Probabilities, classNames),
        _ => Compute.Metrics.RegressionMetrics.Compute(Actual, Predicted),
    };

    /// <summary>Only the metric the search optimises (cheaper than the full set: no per-class or calibration work).</summary>
    public double Score(string metric, IReadOnlyList<string> classNames) => (Task, metric) switch
    {
        (TrainingTask.Binary, "auc") => BinaryMetrics.Auc(BinaryLabels, Probabilities),
        (TrainingTask.Binary, "pr_auc") => BinaryMetrics.AveragePrecision(BinaryLabels, Probabilities),
        _ => Metrics(classNames)[metric],
    };

    private static Func<string> GroupGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        if (column.Type is TextDataViewType)
        {
            var g = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> v = default;
            return () =>
            {
                g(ref v);
                return v.ToString();
            };
        }

        var f = cursor.GetGetter<float>(column);
        float fv = default;
        return () =>
        {
            f(ref fv);
            return fv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        };
    }

    private static void AddGroups(List<Func<string>> getters, List<List<string>> groups)
    {
        for (var g = 0; g < getters.Count; g++)
        {
            groups[g].Add(getters[g]());
        }
    }
}
