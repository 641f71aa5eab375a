using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;

namespace Keel.Application.Pipelines;

/// <summary>
/// Checks a parsed definition as a graph before it is stored: unique step names, known step types
/// and inputs, references to steps and outputs that exist, matching kinds between an output and the
/// input it feeds, declared parameters, and no cycles. Every error is INVALID_PARAMETER_VALUE naming
/// the step (and the field). Returns the steps in an order that runs each after its upstreams.
/// </summary>
public static class PipelineValidator
{
    /// <summary>Checks <paramref name="definition"/> and returns its steps in dependency order (stable: definition order where free).</summary>
    /// <param name="definition">The definition.</param>
    /// <param name="catalog">The step types known.</param>
    public static IReadOnlyList<StepDefinition> Validate(PipelineDefinition definition, StepTypeCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(catalog);
        var byName = new Dictionary<string, StepDefinition>(StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            if (!byName.TryAdd(step.Name, step))
            {
                throw KeelException.InvalidParameter($"Step '{step.Name}' is defined twice; step names must be unique.");
            }
        }

        foreach (var step in definition.Steps)
        {
            CheckStep(definition, step, byName, catalog);
        }

        var triggerNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var trigger in definition.Triggers)
        {
            if (!triggerNames.Add(trigger.Name))
            {
                throw KeelException.InvalidParameter($"Trigger '{trigger.Name}' is defined twice; trigger names must be unique.");
            }

            foreach (var (parameter, template) in trigger.Params)
            {
                if (!definition.Parameters.ContainsKey(parameter))
                {
                    throw KeelException.InvalidParameter($"Trigger '{trigger.Name}' sets parameter '{parameter}', which the pipeline does not declare under 'params'.");
                }

                foreach (var (scope, name) in Templates.References(template))
                {
                    if (scope is not ("event" or "params"))
                    {
                        throw KeelException.InvalidParameter($"Trigger '{trigger.Name}' parameter '{parameter}': '${{{scope}.{name}}}' is not allowed; use ${{event.FIELD}} or ${{params.NAME}}.");
                    }
                }
            }
        }

        if (definition.DedupeKey is { } dedupe)
        {
            CheckParamsOnly(definition, dedupe, "dedupe_key", "The pipeline's", []);
        }

        return Order(definition, byName);
    }

    /// <summary>The upstream steps of a step: those it takes outputs from and those it runs after.</summary>
    /// <param name="step">The step.</param>
    public static IEnumerable<string> Upstream(StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(step);
        foreach (var value in step.Inputs.Values)
        {
            if (Templates.StepReference(value) is { } reference)
            {
                yield return reference.Step;
            }
        }

        foreach (var after in step.After)
        {
            yield return after;
        }
    }

    private static void CheckStep(PipelineDefinition definition, StepDefinition step, Dictionary<string, StepDefinition> byName, StepTypeCatalog catalog)
    {
        var type = catalog.Require(step.Name, step.Type);
        var inputs = type.InputsOf(step);
        foreach (var required in inputs.Where(i => i.Required))
        {
            if (!step.Inputs.ContainsKey(required.Name))
            {
                throw KeelException.InvalidParameter($"Step '{step.Name}' ({step.Type}) needs input '{required.Name}' ({PipelineValueKinds.Name(required.Kind)}).");
            }
        }

        foreach (var (input, value) in step.Inputs)
        {
            var port = inputs.FirstOrDefault(i => i.Name == input)
                ?? throw KeelException.InvalidParameter($"Step '{step.Name}' ({step.Type}) has no input '{input}'; its inputs are: {string.Join(", ", inputs.Select(i => i.Name))}.");
            if (Templates.StepReference(value) is { } reference)
            {
                if (!byName.TryGetValue(reference.Step, out var upstream))
                {
                    throw KeelException.InvalidParameter($"Step '{step.Name}' input '{input}' refers to step '{reference.Step}', which does not exist.");
                }

                if (upstream.Name == step.Name)
                {
                    throw KeelException.InvalidParameter($"Step '{step.Name}' input '{input}' refers to its own output.");
                }

                var upstreamType = catalog.Require(upstream.Name, upstream.Type);
                var output = upstreamType.OutputsOf(upstream).FirstOrDefault(o => o.Name == reference.Output)
                    ?? throw KeelException.InvalidParameter(
                        $"Step '{step.Name}' input '{input}' refers to output '{reference.Output}' of step '{upstream.Name}' ({upstream.Type}), which has outputs: {string.Join(", ", upstreamType.OutputsOf(upstream).Select(o => o.Name))}.");
                if (!port.AnyKind && output.Kind != port.Kind)
                {
                    throw KeelException.InvalidParameter(
                        $"Step '{step.Name}' input '{input}' takes a {PipelineValueKinds.Name(port.Kind)} but step '{upstream.Name}' output '{output.Name}' is a {PipelineValueKinds.Name(output.Kind)} (type mismatch).");
                }
            }
            else
            {
                foreach (var (scope, _) in Templates.References(value))
                {
                    if (scope == "steps")
                    {
                        throw KeelException.InvalidParameter($"Step '{step.Name}' input '{input}': a step output must be the whole value, as ${{steps.STEP.OUTPUT}}.");
                    }
                }

                CheckParamsOnly(definition, value, $"inputs.{input}", $"Step '{step.Name}'", []);
            }
        }

        foreach (var after in step.After)
        {
            if (!byName.ContainsKey(after))
            {
                throw KeelException.InvalidParameter($"Step '{step.Name}' runs after step '{after}', which does not exist.");
            }

            if (after == step.Name)
            {
                throw KeelException.InvalidParameter($"Step '{step.Name}' cannot run after itself.");
            }
        }

        foreach (var (path, text) in Templates.Strings(step.Params, "params"))
        {
            CheckParamsOnly(definition, text, path, $"Step '{step.Name}'", type.ParamScopes);
        }

        if (step.Outputs.Count > 0 && type.Name != "command")
        {
            foreach (var (output, kind) in step.Outputs)
            {
                var declared = type.OutputsOf(step).FirstOrDefault(o => o.Name == output)
                    ?? throw KeelException.InvalidParameter($"Step '{step.Name}' ({step.Type}) has no output '{output}'.");
                if (declared.Kind != kind)
                {
                    throw KeelException.InvalidParameter($"Step '{step.Name}' output '{output}' is a {PipelineValueKinds.Name(declared.Kind)}, not a {PipelineValueKinds.Name(kind)}.");
                }
            }
        }

        try
        {
            type.Validate(step);
        }
        catch (KeelException e) when (e.Code == ErrorCode.InvalidParameterValue && !e.Message.Contains($"'{step.Name}'", StringComparison.Ordinal))
        {
            throw KeelException.InvalidParameter($"Step '{step.Name}' ({step.Type}): {e.Message}");
        }
    }

    private static void CheckParamsOnly(PipelineDefinition definition, string text, string field, string owner, IReadOnlyCollection<string> otherScopes)
    {
        foreach (var (scope, name) in Templates.References(text))
        {
            if (otherScopes.Contains(scope))
            {
                continue;
            }

            if (scope != "params")
            {
                throw KeelException.InvalidParameter($"{owner} field '{field}': '${{{scope}.{name}}}' is not allowed here; use ${{params.NAME}}.");
            }

            if (!definition.Parameters.ContainsKey(name))
            {
                throw KeelException.InvalidParameter($"{owner} field '{field}' uses parameter '{name}', which the pipeline does not declare under 'params'.");
            }
        }
    }

    private static List<StepDefinition> Order(PipelineDefinition definition, Dictionary<string, StepDefinition> byName)
    {
        var pending = definition.Steps.ToDictionary(s => s.Name, s => Upstream(s).Distinct(StringComparer.Ordinal).Count(), StringComparer.Ordinal);
        var downstream = definition.Steps.ToDictionary(s => s.Name, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            foreach (var up in Upstream(step).Distinct(StringComparer.Ordinal))
            {
                downstream[up].Add(step.Name);
            }
        }

        var order = new List<StepDefinition>();
        var ready = new SortedSet<int>(definition.Steps.Select((s, i) => (s, i)).Where(x => pending[x.s.Name] == 0).Select(x => x.i));
        var index = definition.Steps.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        while (ready.Count > 0)
        {
            var next = definition.Steps[ready.Min];
            ready.Remove(ready.Min);
            order.Add(next);
            foreach (var down in downstream[next.Name])
            {
                if (--pending[down] == 0)
                {
                    ready.Add(index[down]);
                }
            }
        }

        if (order.Count < definition.Steps.Count)
        {
            throw KeelException.InvalidParameter($"Steps {Templates.Join(Cycle(byName, pending))} form a cycle; a pipeline must be a DAG.");
        }

        return order;
    }

    /// <summary>One cycle among the steps left over, for the message.</summary>
    private static List<string> Cycle(Dictionary<string, StepDefinition> byName, Dictionary<string, int> pending)
    {
        var left = pending.Where(p => p.Value > 0).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var start = byName.Keys.First(left.Contains);
        var path = new List<string> { start };
        var seen = new Dictionary<string, int>(StringComparer.Ordinal) { [start] = 0 };
        var current = start;
        while (true)
        {
            current = Upstream(byName[current]).First(left.Contains);
            if (seen.TryGetValue(current, out var at))
            {
                var cycle = path.Skip(at).Reverse().ToList();
                cycle.Add(cycle[0]);
                return cycle;
            }

            seen[current] = path.Count;
            path.Add(current);
        }
    }
}
