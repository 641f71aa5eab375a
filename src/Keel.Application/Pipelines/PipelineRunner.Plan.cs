using Keel.Core.Pipelines;

namespace Keel.Application.Pipelines;

public sealed partial class PipelineRunner
{
    /// <summary>
    /// Says, without running anything, which steps a run with these parameters would run and which it
    /// would take from the cache, and why: a step runs when its type always runs, its cache is off, an
    /// upstream step will run (so its inputs are not known yet), or its key is new — then the plan
    /// names what changed since the step's last successful run (an input's version or content, a
    /// parameter, a file). Moving references are pinned as a run would pin them now.
    /// </summary>
    /// <param name="pipeline">The pipeline.</param>
    /// <param name="parameters">Parameter values (defaults fill the rest).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<PlannedStep>> PlanAsync(string pipeline, IReadOnlyDictionary<string, string>? parameters, CancellationToken cancellationToken)
    {
        var parsed = await LoadAsync(pipeline, null, cancellationToken).ConfigureAwait(false);
        var values = Parameters(parsed, parameters ?? new Dictionary<string, string>());
        var outputs = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var willRun = new HashSet<string>(StringComparer.Ordinal);
        var plan = new List<PlannedStep>();
        var previous = await PreviousKeysAsync(pipeline, cancellationToken).ConfigureAwait(false);
        foreach (var step in parsed.Order)
        {
            var type = _catalog.Require(step.Name, step.Type);
            var upstreamRunning = PipelineValidator.Upstream(step).Where(willRun.Contains).Distinct(StringComparer.Ordinal).ToList();
            if (!type.Cacheable || !step.Cache)
            {
                willRun.Add(step.Name);
                plan.Add(new PlannedStep(step.Name, step.Type, "run", type.Cacheable ? "caching is off for this step (cache: false)" : $"'{type.Name}' steps always run (they change things outside their outputs)", null, null, []));
                continue;
            }

            if (upstreamRunning.Count > 0)
            {
                willRun.Add(step.Name);
                plan.Add(new PlannedStep(step.Name, step.Type, "run", $"upstream step{(upstreamRunning.Count > 1 ? "s" : string.Empty)} {string.Join(", ", upstreamRunning.Select(u => $"'{u}'"))} will run, so its inputs will change", null, null, []));
                continue;
            }

            var prepared = await ContextAsync(0, pipeline, values, step, (up, output) => outputs.GetValueOrDefault(up)?.GetValueOrDefault(output), 1, _ => { }, cancellationToken).ConfigureAwait(false);
            var material = StepCacheKey.Material(type.Name, type.Version, prepared.Step.Params, prepared.Identities, await type.CacheMaterialAsync(prepared.Step, cancellationToken).ConfigureAwait(false));
            var key = StepCacheKey.Of(material);
            if (await _store.FindCacheAsync(key, cancellationToken).ConfigureAwait(false) is { } hit)
            {
                outputs[step.Name] = hit.Outputs;
                plan.Add(new PlannedStep(step.Name, step.Type, "cached", $"same key as run {hit.RunId}: its outputs are reused", key, hit.RunId, []));
                continue;
            }

            willRun.Add(step.Name);
            if (previous.TryGetValue(step.Name, out var last) && await _store.FindCacheAsync(last, cancellationToken).ConfigureAwait(false) is { } before
                && before.Outputs.TryGetValue(StepCacheKey.MaterialOutput, out var beforeMaterial))
            {
                var changes = StepCacheKey.Differences(beforeMaterial, material);
                plan.Add(new PlannedStep(step.Name, step.Type, "run", $"changed since run {before.RunId}: {string.Join("; ", changes)}", key, null, changes));
            }
            else
            {
                plan.Add(new PlannedStep(step.Name, step.Type, "run", "no earlier run of this step to reuse", key, null, []));
            }
        }

        return plan;
    }

    /// <summary>The cache key of each step's latest succeeded run (from the newest runs).</summary>
    private async Task<Dictionary<string, string>> PreviousKeysAsync(string pipeline, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var runs = await _store.ListRunsAsync(new PipelineRunQuery(pipeline, null, null, 20), cancellationToken).ConfigureAwait(false);
        foreach (var run in runs)
        {
            foreach (var step in await _store.GetStepsAsync(run.Id, cancellationToken).ConfigureAwait(false))
            {
                if (step.State == StepRunState.Succeeded && step.CacheKey is { } key)
                {
                    keys.TryAdd(step.Step, key);
                }
            }
        }

        return keys;
    }
}
