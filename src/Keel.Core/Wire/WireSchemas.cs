using static Keel.Core.Wire.FieldRule;

namespace Keel.Core.Wire;

/// <summary>
/// The field checks MLflow 2.12.2's tracking handlers declare (mlflow/server/handlers.py), one per
/// request, in MLflow's order. See <see cref="RequestSchema"/> for when they apply.
/// </summary>
public static class WireSchemas
{
    public static readonly RequestSchema CreateExperiment = new(
        ("name", [Required, IsString]),
        ("artifact_location", [IsString]),
        ("tags", [IsArray]));

    public static readonly RequestSchema ExperimentId = new(("experiment_id", [Required, IsString]));

    public static readonly RequestSchema UpdateExperiment = new(
        ("experiment_id", [Required, IsString]),
        ("new_name", [IsString, Required]));

    public static readonly RequestSchema SetExperimentTag = new(
        ("experiment_id", [Required, IsString]),
        ("key", [Required, IsString]),
        ("value", [IsString]));

    public static readonly RequestSchema SearchExperiments = new(
        ("view_type", [IntLike]),
        ("max_results", [IntLike]),
        ("order_by", [IsArray]),
        ("filter", [IsString]),
        ("page_token", [IsString]));

    public static readonly RequestSchema CreateRun = new(
        ("experiment_id", [IsString]),
        ("start_time", [IntLike]),
        ("run_name", [IsString]));

    public static readonly RequestSchema UpdateRun = new(
        ("run_id", [Required, IsString]),
        ("end_time", [IntLike]),
        ("status", [IsString]),
        ("run_name", [IsString]));

    public static readonly RequestSchema RunId = new(("run_id", [Required, IsString]));

    public static readonly RequestSchema LogMetric = new(
        ("run_id", [Required, IsString]),
        ("key", [Required, IsString]),
        ("value", [Required, FloatLike]),
        ("timestamp", [IntLike, Required]),
        ("step", [IntLike]));

    /// <summary>log-parameter and set-tag.</summary>
    public static readonly RequestSchema RunKeyValue = new(
        ("run_id", [Required, IsString]),
        ("key", [Required, IsString]),
        ("value", [IsString]));

    public static readonly RequestSchema DeleteTag = new(
        ("run_id", [Required, IsString]),
        ("key", [Required, IsString]));

    public static readonly RequestSchema SearchRuns = new(
        ("experiment_ids", [IsArray]),
        ("filter", [IsString]),
        ("max_results", [IntLike]),
        ("order_by", [IsArray, StringItems]));

    public static readonly RequestSchema LogBatch = new(
        ("run_id", [IsString, Required]),
        ("metrics", [IsArray, MetricFieldsPresent]),
        ("params", [IsArray, KeyFieldPresent]),
        ("tags", [IsArray, KeyFieldPresent]));

    public static readonly RequestSchema LogModel = new(
        ("run_id", [IsString, Required]),
        ("model_json", [IsString, Required]));

    public static readonly RequestSchema LogInputs = new(
        ("run_id", [Required, IsString]),
        ("datasets", [Required, IsArray]));
}
