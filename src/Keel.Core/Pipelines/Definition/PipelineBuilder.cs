namespace Keel.Core.Pipelines.Definition;

/// <summary>
/// Builds a <see cref="PipelineDefinition"/> in code: the same model as the YAML form, which
/// <see cref="PipelineDocument.ToJson"/> writes out for <c>keel pipelines apply</c> or the REST API.
/// Checks (a cycle, an unknown type, a type mismatch) run when the pipeline is applied.
/// </summary>
/// <param name="name">The pipeline's name.</param>
public sealed class PipelineBuilder(string name)
{
    private readonly Dictionary<string, string?> _parameters = new(StringComparer.Ordinal);
    private readonly List<StepBuilder> _steps = [];
    private readonly List<TriggerDefinition> _triggers = [];
    private string? _description;
    private int _concurrency = 1;
    private string? _dedupeKey;

    /// <summary>A reference to an upstream step's output, for <see cref="StepBuilder.Input"/>.</summary>
    /// <param name="step">The upstream step.</param>
    /// <param name="output">Its output.</param>
    public static string Output(string step, string output) => $"${{steps.{step}.{output}}}";

    /// <summary>A reference to a run parameter.</summary>
    /// <param name="parameter">The parameter.</param>
    public static string Parameter(string parameter) => $"${{params.{parameter}}}";

    /// <summary>Says what the pipeline is for.</summary>
    /// <param name="text">The description.</param>
    public PipelineBuilder Description(string text)
    {
        _description = text;
        return this;
    }

    /// <summary>Declares a run parameter.</summary>
    /// <param name="parameter">Its name.</param>
    /// <param name="defaultValue">Its default; null makes it required.</param>
    public PipelineBuilder Param(string parameter, string? defaultValue = null)
    {
        _parameters[parameter] = defaultValue;
        return this;
    }

    /// <summary>Adds a step.</summary>
    /// <param name="stepName">Its name.</param>
    /// <param name="type">Its type.</param>
    /// <param name="configure">Sets its inputs, parameters and options.</param>
    public PipelineBuilder Step(string stepName, string type, Action<StepBuilder>? configure = null)
    {
        var step = new StepBuilder(stepName, type);
        configure?.Invoke(step);
        _steps.Add(step);
        return this;
    }

    /// <summary>Adds a trigger.</summary>
    /// <param name="trigger">The trigger.</param>
    public PipelineBuilder Trigger(TriggerDefinition trigger)
    {
        _triggers.Add(trigger);
        return this;
    }

    /// <summary>Limits concurrent runs and sets the dedupe key template.</summary>
    /// <param name="limit">Runs at a time.</param>
    /// <param name="dedupeKey">The dedupe key template, or null.</param>
    public PipelineBuilder Concurrency(int limit, string? dedupeKey = null)
    {
        _concurrency = limit;
        _dedupeKey = dedupeKey;
        return this;
    }

    /// <summary>The definition.</summary>
    public PipelineDefinition Build() => new(
        name, _description, new Dictionary<string, string?>(_parameters, StringComparer.Ordinal), [.. _steps.Select(s => s.Build())], [.. _triggers], _concurrency, _dedupeKey);
}
