namespace Keel.Training;

/// <summary>The metrics a search can optimise per task, and which way is better.</summary>
internal static class TrainingMetrics
{
    public static IReadOnlyList<string> For(TrainingTask task) => task switch
    {
        TrainingTask.Binary => ["auc", "pr_auc", "accuracy", "f1", "log_loss"],
        TrainingTask.Multiclass => ["macro_accuracy", "micro_accuracy", "log_loss"],
        _ => ["rmse", "mae", "r2"],
    };

    public static string Default(TrainingTask task) => For(task)[0];

    public static bool LowerIsBetter(string metric) => metric is "log_loss" or "rmse" or "mae";
}
