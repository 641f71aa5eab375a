using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Core.Pipelines.Definition;

/// <summary>Builds one step for <see cref="PipelineBuilder"/>.</summary>
public sealed class StepBuilder
{
    private readonly string _name;
    private readonly string _type;
    private readonly JsonObject _params = [];
    private readonly Dictionary<string, string> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PipelineValueKind> _outputs = new(StringComparer.Ordinal);
    private readonly List<string> _after = [];
    private int _retries;
    private int? _timeout;
    private StepResources? _resources;
    private bool _cache = true;

    internal StepBuilder(string name, string type)
    {
        _name = name;
        _type = type;
    }

    /// <summary>Sets a parameter of the step type (any JSON-serialisable value).</summary>
    /// <param name="name">The parameter.</param>
    /// <param name="value">Its value; strings may hold <c>${params.NAME}</c>.</param>
    public StepBuilder Param(string name, object? value)
    {
        _params[name] = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType());
        return this;
    }

    /// <summary>Sets an input: an upstream output (<see cref="PipelineBuilder.Output"/>), a parameter reference or a literal URI.</summary>
    /// <param name="name">The input.</param>
    /// <param name="value">Where it comes from.</param>
    public StepBuilder Input(string name, string value)
    {
        _inputs[name] = value;
        return this;
    }

    /// <summary>Declares an output and its kind.</summary>
    /// <param name="name">The output.</param>
    /// <param name="kind">Its kind.</param>
    public StepBuilder Output(string name, PipelineValueKind kind)
    {
        _outputs[name] = kind;
        return this;
    }

    /// <summary>Makes the step wait for other steps that pass it nothing.</summary>
    /// <param name="steps">The steps.</param>
    public StepBuilder After(params string[] steps)
    {
        _after.AddRange(steps);
        return this;
    }

    /// <summary>Extra tries after a failure.</summary>
    /// <param name="retries">0-10.</param>
    public StepBuilder Retries(int retries)
    {
        _retries = retries;
        return this;
    }

    /// <summary>Fails a try that runs longer than this.</summary>
    /// <param name="seconds">Seconds.</param>
    public StepBuilder Timeout(int seconds)
    {
        _timeout = seconds;
        return this;
    }

    /// <summary>Resource hints.</summary>
    /// <param name="resources">The hints.</param>
    public StepBuilder Resources(StepResources resources)
    {
        _resources = resources;
        return this;
    }

    /// <summary>Always runs the step, whatever its cache key.</summary>
    public StepBuilder NoCache()
    {
        _cache = false;
        return this;
    }

    internal StepDefinition Build() => new(
        _name, _type, JsonSerializer.SerializeToElement(_params), new Dictionary<string, string>(_inputs, StringComparer.Ordinal),
        new Dictionary<string, PipelineValueKind>(_outputs, StringComparer.Ordinal), [.. _after], _retries, _timeout, _resources, _cache);
}
