namespace Keel.Core.Pipelines.Definition;

/// <summary>The type of a value passed between steps; an input accepts only outputs of its kind.</summary>
public enum PipelineValueKind
{
    /// <summary>A dataset version, as <c>datasets:/name/version</c>.</summary>
    Dataset,

    /// <summary>A model, as <c>runs:/…/model</c> or <c>models:/name/version</c>.</summary>
    Model,

    /// <summary>Metrics, as a URI of a JSON object of numbers.</summary>
    Metrics,

    /// <summary>A report (JSON or HTML), as a URI.</summary>
    Report,

    /// <summary>Any file or directory, as a URI or path.</summary>
    File,

    /// <summary>A plain value (a version number, a decision, a name).</summary>
    Value,
}
