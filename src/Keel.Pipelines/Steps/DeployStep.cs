using System.Globalization;
using System.Text.Json;
using Keel.Application.Pipelines;
using Keel.Core.Errors;
using Keel.Core.Pipelines.Definition;
using Keel.Core.Registry;
using Keel.Core.Serving;

namespace Keel.Pipelines.Steps;

/// <summary>
/// <c>deploy</c>: puts the input model on an endpoint. <c>canary</c> starts a progressive rollout
/// (the rollout controller of <c>keel server</c> advances, promotes or rolls it back by the endpoint's
/// policy) and, with <c>wait</c>, follows it to its end: a rollback fails the step with its reason.
/// <c>blue_green</c> switches all traffic to the model at once, keeping the old one loaded as standby
/// for an instant rollback, and with <c>hold_seconds</c> watches that nobody rolled it back for that
/// long. A missing endpoint is created serving the model. A retry (or a worker taking the step over)
/// finds a rollout of the same model already running, or the model already served, and follows
/// that instead of starting another.
/// </summary>
internal sealed class DeployStep(PipelineServices services) : IStepType
{
    /// <summary>The rollout_id output when no rollout was needed (the endpoint was created, or blue-green).</summary>
    public const string NoRollout = "none";

    private static readonly string[] Known = ["endpoint", "strategy", "steps", "hold_seconds", "hold_requests", "policy", "wait", "create_if_missing", "environment"];

    private static readonly string[] PolicyKeys = ["max_error_rate_increase", "max_p99_latency_ratio", "p99_latency_slack_ms", "max_divergence", "min_requests"];

    private static readonly StepPort[] Inputs = [new("model", PipelineValueKind.Model, Description: "The model to deploy (models:/NAME/N or runs:/…).")];

    private static readonly StepPort[] Outputs =
    [
        new("endpoint", PipelineValueKind.Value, Description: "The endpoint's name."),
        new("rollout_id", PipelineValueKind.Value, Description: "The rollout's id, or 'none' when the model went live without one."),
        new("state", PipelineValueKind.Value, Description: "promoted, or running when not waiting."),
        new("model", PipelineValueKind.Model, Description: "The pinned model URI now served."),
    ];

    /// <summary>How often a waiting step reads the endpoint again.</summary>
    internal TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public string Name => "deploy";

    public int Version => 1;

    public string Summary => "Deploys a model onto an endpoint by canary rollout or blue-green switch, creating the endpoint when missing; waits for promotion or rollback.";

    public bool Cacheable => false;

    public IReadOnlyCollection<string> ParamScopes => [];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) => Inputs;

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) => Outputs;

    public void Validate(StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(step);
        Read(step, step.Params, atRun: false);
    }

    public Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var serving = services.Serving
            ?? throw new InvalidOperationException("deploy steps need a process that serves endpoints: run the pipeline on keel server");
        var spec = Read(context.Step, context.Params, atRun: true);
        var actor = $"pipeline:{context.Pipeline}/run:{context.RunId.ToString(CultureInfo.InvariantCulture)}/step:{context.Step.Name}";
        var model = await PinAsync(context.Inputs["model"], cancellationToken).ConfigureAwait(false);
        await LinkAsync(model, context, spec.Endpoint, cancellationToken).ConfigureAwait(false);

        Endpoint? endpoint;
        try
        {
            endpoint = await serving.GetAsync(spec.Endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            endpoint = null;
        }

        if (endpoint is null)
        {
            if (!spec.CreateIfMissing)
            {
                throw new InvalidOperationException($"endpoint '{spec.Endpoint}' does not exist (create_if_missing is false)");
            }

            try
            {
                await serving.CreateAsync(spec.Endpoint, spec.Environment, model, Policy(RolloutPolicy.Default, spec.Policy), null, null, actor, cancellationToken).ConfigureAwait(false);
                context.Log($"created endpoint '{spec.Endpoint}' serving {model}");
                return Done(spec.Endpoint, NoRollout, "promoted", model);
            }
            catch (KeelException e) when (e.Code == ErrorCode.ResourceAlreadyExists)
            {
                // Created meanwhile (another try, another pipeline): deploy onto it as onto any other.
                endpoint = await serving.GetAsync(spec.Endpoint, cancellationToken).ConfigureAwait(false);
            }
        }

        if (endpoint.IsRollingOut)
        {
            var running = endpoint.Rollout!;
            if (running.ChallengerUri != model)
            {
                throw new InvalidOperationException($"endpoint '{spec.Endpoint}' has a rollout of {running.ChallengerUri} in progress ({running.Id}); it must end before {model} can be deployed");
            }

            context.Log($"rollout {running.Id} of {model} is already running on '{spec.Endpoint}'; following it");
            return await FollowAsync(serving, spec, running.Id, model, context.Log, cancellationToken).ConfigureAwait(false);
        }

        if (endpoint.Primary.ModelUri == model)
        {
            var last = endpoint.Rollout is { State: RolloutState.Promoted } r && r.ChallengerUri == model ? r.Id : NoRollout;
            context.Log($"endpoint '{spec.Endpoint}' already serves {model}");
            return Done(spec.Endpoint, last, "promoted", model);
        }

        if (spec.Strategy == "blue_green")
        {
            await serving.SetTrafficAsync(spec.Endpoint, EndpointMode.BlueGreen, model, null, null, actor, cancellationToken).ConfigureAwait(false);
            context.Log($"switched all traffic of '{spec.Endpoint}' to {model}; {endpoint.Primary.ModelUri} stays loaded as standby");
            if (spec.Wait && spec.HoldSeconds is > 0)
            {
                await HoldAsync(serving, spec, model, context.Log, cancellationToken).ConfigureAwait(false);
            }

            return Done(spec.Endpoint, NoRollout, "promoted", model);
        }

        var started = await serving.StartRolloutAsync(
            spec.Endpoint, model, spec.Steps, spec.HoldSeconds, spec.HoldRequests, spec.Policy.Count == 0 ? null : Policy(endpoint.Policy, spec.Policy), actor, cancellationToken).ConfigureAwait(false);
        var rollout = started.Rollout!;
        context.Log($"started rollout {rollout.Id} of {model} on '{spec.Endpoint}': steps {string.Join(",", rollout.Steps)}");
        return await FollowAsync(serving, spec, rollout.Id, model, context.Log, cancellationToken).ConfigureAwait(false);
    }

    private static StepOutcome Done(string endpoint, string rolloutId, string state, string model) =>
        new(new Dictionary<string, string>(StringComparer.Ordinal) { ["endpoint"] = endpoint, ["rollout_id"] = rolloutId, ["state"] = state, ["model"] = model });

    // Polls the endpoint until the rollout ends; the step's timeout (the token) is the deadline.
    private async Task<StepOutcome> FollowAsync(Application.ServingService serving, DeploySpec spec, string rolloutId, string model, Action<string> log, CancellationToken cancellationToken)
    {
        if (!spec.Wait)
        {
            return Done(spec.Endpoint, rolloutId, "running", model);
        }

        var percent = -1;
        while (true)
        {
            var endpoint = await serving.GetAsync(spec.Endpoint, cancellationToken).ConfigureAwait(false);
            var rollout = endpoint.Rollout?.Id == rolloutId ? endpoint.Rollout : endpoint.PastRollouts.FirstOrDefault(r => r.Id == rolloutId)
                ?? throw new InvalidOperationException($"rollout {rolloutId} is no longer recorded on endpoint '{spec.Endpoint}'");
            switch (rollout.State)
            {
                case RolloutState.Promoted:
                    log($"rollout {rolloutId} promoted: {rollout.Reason}");
                    return Done(spec.Endpoint, rolloutId, "promoted", model);
                case RolloutState.Running:
                    if (rollout.CurrentPercent != percent)
                    {
                        percent = rollout.CurrentPercent;
                        log($"rollout {rolloutId}: challenger at {percent}%");
                    }

                    break;
                default:
                    throw new InvalidOperationException(
                        $"rollout {rolloutId} of {model} on endpoint '{spec.Endpoint}' was {(rollout.State == RolloutState.Aborted ? "aborted" : "rolled back")}: {rollout.Reason}");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // Blue-green has no controller judging it: the hold is a window in which an operator's or an
    // alert's rollback fails the step instead of letting the pipeline carry on.
    private async Task HoldAsync(Application.ServingService serving, DeploySpec spec, string model, Action<string> log, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(spec.HoldSeconds!.Value);
        log($"holding {spec.HoldSeconds.Value.ToString(CultureInfo.InvariantCulture)} s before declaring {model} live");
        while (true)
        {
            var endpoint = await serving.GetAsync(spec.Endpoint, cancellationToken).ConfigureAwait(false);
            if (endpoint.Primary.ModelUri != model)
            {
                throw new InvalidOperationException($"{model} was rolled back on endpoint '{spec.Endpoint}' during the hold (now serving {endpoint.Primary.ModelUri})");
            }

            var left = until - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(left < PollInterval ? left : PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // A models:/ alias or stage is pinned to the version it names now, so a retry compares like with like.
    private async Task<string> PinAsync(string uri, CancellationToken cancellationToken)
    {
        if (!ModelUri.IsModelUri(uri))
        {
            throw new InvalidOperationException($"input 'model' must be a models:/ or runs:/ URI, not '{uri}'");
        }

        var parsed = ModelUri.Parse(uri);
        if (parsed.Kind is ModelUriKind.Run or ModelUriKind.Version)
        {
            return uri;
        }

        var version = (await services.Registry.ResolveModelUriAsync(uri, cancellationToken).ConfigureAwait(false)).Version!;
        return $"models:/{version.Name}/{version.Version.ToString(CultureInfo.InvariantCulture)}";
    }

    // The model version links back to the pipeline run and the endpoint it was deployed to.
    private async Task LinkAsync(string model, StepContext context, string endpoint, CancellationToken cancellationToken)
    {
        var parsed = ModelUri.Parse(model);
        if (parsed.Kind != ModelUriKind.Version)
        {
            return;
        }

        var version = parsed.Version!.Value.ToString(CultureInfo.InvariantCulture);
        await services.Registry.SetModelVersionTagAsync(parsed.Name, version, "keel.pipeline.run_id", context.RunId.ToString(CultureInfo.InvariantCulture), "keel-pipeline", cancellationToken).ConfigureAwait(false);
        await services.Registry.SetModelVersionTagAsync(parsed.Name, version, "keel.pipeline.deployed_to", endpoint, "keel-pipeline", cancellationToken).ConfigureAwait(false);
    }

    private static RolloutPolicy Policy(RolloutPolicy basis, IReadOnlyDictionary<string, double> given) => basis with
    {
        MaxErrorRateIncrease = given.GetValueOrDefault("max_error_rate_increase", basis.MaxErrorRateIncrease),
        MaxP99LatencyRatio = given.GetValueOrDefault("max_p99_latency_ratio", basis.MaxP99LatencyRatio),
        P99LatencySlackMs = given.GetValueOrDefault("p99_latency_slack_ms", basis.P99LatencySlackMs),
        MaxDivergence = given.GetValueOrDefault("max_divergence", basis.MaxDivergence),
        MinRequests = given.TryGetValue("min_requests", out var n) ? (long)n : basis.MinRequests,
    };

    // At apply time a value still holding ${params.…} is checked when the step runs.
    private static DeploySpec Read(StepDefinition step, JsonElement p, bool atRun)
    {
        OpsParams.OnlyKnown(step, p, Known);
        var endpoint = OpsParams.String(step, p, "endpoint", required: true)!;
        var strategy = OpsParams.String(step, p, "strategy") ?? "canary";
        if (strategy is not ("canary" or "blue_green") && (atRun || !strategy.Contains("${", StringComparison.Ordinal)))
        {
            throw OpsParams.Invalid(step, "strategy", $"must be canary or blue_green, not '{strategy}'");
        }

        IReadOnlyList<int>? steps = null;
        if (OpsParams.Get(p, "steps") is { } s)
        {
            if (s.ValueKind != JsonValueKind.Array || s.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.Number || !i.TryGetInt32(out _)))
            {
                throw OpsParams.Invalid(step, "steps", "must be a list of whole percentages, e.g. [10, 50, 100]");
            }

            steps = [.. s.EnumerateArray().Select(i => i.GetInt32())];
            for (var i = 0; i < steps.Count; i++)
            {
                if (steps[i] is < 1 or > 100 || (i > 0 && steps[i] <= steps[i - 1]) || (i == steps.Count - 1 && steps[i] != 100))
                {
                    throw OpsParams.Invalid(step, "steps", $"must be increasing percentages from 1 to 100 ending at 100, not [{string.Join(", ", steps)}]");
                }
            }

            if (strategy == "blue_green")
            {
                throw OpsParams.Invalid(step, "steps", "applies to the canary strategy only (blue_green switches all traffic at once)");
            }
        }

        var holdSeconds = OpsParams.Number(step, p, "hold_seconds", 0, 7 * 24 * 3600);
        var holdRequests = OpsParams.Number(step, p, "hold_requests", 1, long.MaxValue);
        if (OpsParams.Get(p, "hold_seconds") is not null && OpsParams.Get(p, "hold_requests") is not null)
        {
            throw OpsParams.Invalid(step, "hold_requests", "cannot be given with hold_seconds; give one of them");
        }

        if (holdRequests is { } hr && hr != Math.Floor(hr))
        {
            throw OpsParams.Invalid(step, "hold_requests", "must be a whole number");
        }

        var policy = new Dictionary<string, double>(StringComparer.Ordinal);
        if (OpsParams.Get(p, "policy") is { } pol)
        {
            if (pol.ValueKind != JsonValueKind.Object)
            {
                throw OpsParams.Invalid(step, "policy", $"must be a map with any of {string.Join(", ", PolicyKeys)}");
            }

            foreach (var field in pol.EnumerateObject())
            {
                if (!PolicyKeys.Contains(field.Name, StringComparer.Ordinal))
                {
                    throw OpsParams.Invalid(step, $"policy.{field.Name}", $"is not known; the policy takes {string.Join(", ", PolicyKeys)}");
                }

                var (min, max) = field.Name switch
                {
                    "max_divergence" => (0.0, 1.0),
                    "min_requests" => (1.0, 1e12),
                    "max_p99_latency_ratio" => (double.Epsilon, 1e6),
                    _ => (0.0, 1e9),
                };
                if (OpsParams.Number(step, pol, field.Name, min, max) is { } v)
                {
                    policy[field.Name] = v;
                }
            }
        }

        return new DeploySpec(
            endpoint,
            strategy,
            steps,
            holdSeconds,
            holdRequests is { } n ? (long)n : null,
            policy,
            OpsParams.Bool(step, p, "wait") ?? true,
            OpsParams.Bool(step, p, "create_if_missing") ?? true,
            OpsParams.String(step, p, "environment"));
    }

    private sealed record DeploySpec(
        string Endpoint, string Strategy, IReadOnlyList<int>? Steps, double? HoldSeconds, long? HoldRequests, IReadOnlyDictionary<string, double> Policy, bool Wait, bool CreateIfMissing, string? Environment);
}
