using System.Globalization;
using Keel.Application.Pipelines;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;
using Keel.Core.Registry;
using Keel.Core.Tracking;

namespace Keel.Pipelines.Steps;

/// <summary>
/// <c>register</c>: registers the input model as a new version of a registered model (created when
/// missing), with tags, a description and optionally an alias moved to it. Given a <c>decision</c>
/// input (a gate's), it registers only on <c>pass</c>. A retry, or a later run with the same model,
/// finds the version already registered from the same source and reuses it instead of adding
/// another. The version is tagged with the pipeline run that registered it.
/// </summary>
internal sealed class RegisterStep(PipelineServices services) : IStepType
{
    /// <summary>The decision that lets the model through.</summary>
    public const string Pass = "pass";

    private static readonly StepPort[] Inputs =
    [
        new("model", PipelineValueKind.Model, Description: "The model to register (runs:/… or models:/…)."),
        new("decision", PipelineValueKind.Value, Required: false, Description: "A gate's decision: the step registers only when it is 'pass'."),
    ];

    private static readonly StepPort[] Outputs =
    [
        new("model", PipelineValueKind.Model, Description: "The registered version, as models:/NAME/N."),
        new("version", PipelineValueKind.Value, Description: "The version number."),
    ];

    public string Name => "register";

    public int Version => 1;

    public string Summary => "Registers a model version (reusing one from the same source on a retry), with tags and an alias; refuses when the gate's decision is not 'pass'.";

    public bool Cacheable => false;

    public IReadOnlyCollection<string> ParamScopes => [];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) => Inputs;

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) => Outputs;

    public void Validate(StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(step);
        OpsParams.OnlyKnown(step, step.Params, "name", "alias", "tags", "description");
        OpsParams.String(step, step.Params, "name", required: true);
        OpsParams.String(step, step.Params, "alias");
        OpsParams.Map(step, step.Params, "tags");
        if (OpsParams.Get(step.Params, "description") is { ValueKind: not System.Text.Json.JsonValueKind.String })
        {
            throw OpsParams.Invalid(step, "description", "must be a string");
        }
    }

    public Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.Step;
        if (context.Inputs.TryGetValue("decision", out var decision) && !string.Equals(decision.Trim(), Pass, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"gate decision was {decision.Trim()}; the model is not registered");
        }

        var name = OpsParams.String(step, context.Params, "name", required: true)!;
        var alias = OpsParams.String(step, context.Params, "alias");
        var description = OpsParams.Get(context.Params, "description")?.GetString();
        var modelUri = context.Inputs["model"];
        List<Tag> tags =
        [
            .. (OpsParams.Map(step, context.Params, "tags") ?? new Dictionary<string, string>()).Select(t => new Tag(t.Key, t.Value)),
            new("keel.pipeline", context.Pipeline),
            new("keel.pipeline.run_id", context.RunId.ToString(CultureInfo.InvariantCulture)),
            new("keel.pipeline.step", step.Name),
        ];
        if (context.MlflowRunId is { } stepRun)
        {
            tags.Add(new Tag("keel.pipeline.step_run_id", stepRun));
        }

        var version = await FindOrCreateAsync(name, modelUri, tags, description, context.Log, cancellationToken).ConfigureAwait(false);
        var number = version.Version.ToString(CultureInfo.InvariantCulture);
        if (alias is not null)
        {
            await services.Registry.SetAliasAsync(name, alias, number, Actor, cancellationToken).ConfigureAwait(false);
            context.Log($"alias '{alias}' of '{name}' now points at version {number}");
        }

        return new StepOutcome(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["model"] = $"models:/{name}/{number}",
            ["version"] = number,
        });
    }

    private const string Actor = "keel-pipeline";

    private async Task<ModelVersion> FindOrCreateAsync(string name, string modelUri, IReadOnlyList<Tag> tags, string? description, Action<string> log, CancellationToken cancellationToken)
    {
        var parsed = ModelUri.Parse(modelUri);
        string source;
        string? runId;
        if (parsed.Kind == ModelUriKind.Run)
        {
            // As log_model registers: the package's artifact location as source, with its run.
            var resolved = await services.Registry.ResolveModelUriAsync(modelUri, cancellationToken).ConfigureAwait(false);
            (source, runId) = (resolved.ArtifactUri, parsed.RunId);
        }
        else
        {
            var resolved = await services.Registry.ResolveModelUriAsync(modelUri, cancellationToken).ConfigureAwait(false);
            var from = resolved.Version!;
            if (from.Name == name)
            {
                // Already a version of this model: registering it again would only make a copy.
                log($"'{modelUri}' is version {from.Version} of '{name}' already");
                await TagAsync(from, tags, description, cancellationToken).ConfigureAwait(false);
                return from;
            }

            (source, runId) = ($"models:/{from.Name}/{from.Version.ToString(CultureInfo.InvariantCulture)}", string.IsNullOrEmpty(from.RunId) ? null : from.RunId);
        }

        if (await FindAsync(name, source, runId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            log($"version {existing.Version} of '{name}' was registered from {source} already; reusing it");
            await TagAsync(existing, tags, description, cancellationToken).ConfigureAwait(false);
            return existing;
        }

        try
        {
            await services.Registry.CreateRegisteredModelAsync(name, null, null, Actor, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceAlreadyExists)
        {
            // A new version of an existing model.
        }

        var created = await services.Registry.CreateModelVersionAsync(name, source, runId, tags, null, description, Actor, cancellationToken).ConfigureAwait(false);
        log($"registered {source} as version {created.Version} of '{name}'");
        return created;
    }

    private async Task TagAsync(ModelVersion version, IReadOnlyList<Tag> tags, string? description, CancellationToken cancellationToken)
    {
        var number = version.Version.ToString(CultureInfo.InvariantCulture);
        foreach (var tag in tags)
        {
            await services.Registry.SetModelVersionTagAsync(version.Name, number, tag.Key, tag.Value, Actor, cancellationToken).ConfigureAwait(false);
        }

        if (description is not null && description != version.Description)
        {
            await services.Registry.UpdateModelVersionAsync(version.Name, number, description, Actor, cancellationToken).ConfigureAwait(false);
        }
    }

    // The newest version of the model registered from this source (and run), if any.
    private async Task<ModelVersion?> FindAsync(string name, string source, string? runId, CancellationToken cancellationToken)
    {
        var quoted = name.Contains('\'', StringComparison.Ordinal) ? $"\"{name}\"" : $"'{name}'";
        var filter = runId is null ? $"name={quoted}" : $"name={quoted} AND run_id='{runId}'";
        ModelVersion? found = null;
        string? page = null;
        do
        {
            PagedList<ModelVersion> versions;
            try
            {
                versions = await services.Registry.SearchModelVersionsAsync(filter, null, 1000, page, cancellationToken).ConfigureAwait(false);
            }
            catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
            {
                return null;
            }

            foreach (var v in versions.Items.Where(v => v.Name == name && v.Source == source))
            {
                found = found is null || v.Version > found.Version ? v : found;
            }

            page = versions.NextPageToken;
        }
        while (!string.IsNullOrEmpty(page));
        return found;
    }
}
