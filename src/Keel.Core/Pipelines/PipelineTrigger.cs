namespace Keel.Core.Pipelines;

/// <summary>What started a pipeline run.</summary>
/// <param name="Kind">manual, schedule, dataset, alert or registry.</param>
/// <param name="Name">The trigger's name in the definition; null for a manual run.</param>
/// <param name="Detail">The event that fired it as a JSON object (e.g. the alert event, the new dataset version); null for none.</param>
/// <param name="Actor">Who asked, for a manual run.</param>
public sealed record PipelineTrigger(string Kind, string? Name = null, string? Detail = null, string? Actor = null)
{
    /// <summary>A run started by hand.</summary>
    /// <param name="actor">Who asked.</param>
    public static PipelineTrigger Manual(string? actor = null) => new("manual", null, null, actor);
}
