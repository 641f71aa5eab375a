namespace Keel.Core.Pipelines.Definition;

/// <summary>Names of <see cref="PipelineValueKind"/> as written in definitions and on the wire.</summary>
public static class PipelineValueKinds
{
    /// <summary>The written name of a kind.</summary>
    /// <param name="kind">The kind.</param>
    public static string Name(PipelineValueKind kind) => kind switch
    {
        PipelineValueKind.Dataset => "dataset",
        PipelineValueKind.Model => "model",
        PipelineValueKind.Metrics => "metrics",
        PipelineValueKind.Report => "report",
        PipelineValueKind.File => "file",
        PipelineValueKind.Value => "value",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a value kind."),
    };

    /// <summary>The kind of a written name; null when there is none of that name.</summary>
    /// <param name="name">dataset, model, metrics, report, file or value.</param>
    public static PipelineValueKind? Parse(string? name) => name switch
    {
        "dataset" => PipelineValueKind.Dataset,
        "model" => PipelineValueKind.Model,
        "metrics" => PipelineValueKind.Metrics,
        "report" => PipelineValueKind.Report,
        "file" => PipelineValueKind.File,
        "value" => PipelineValueKind.Value,
        _ => null,
    };

    /// <summary>Every written name, for error messages.</summary>
    public static IReadOnlyList<string> All { get; } = ["dataset", "model", "metrics", "report", "file", "value"];
}
