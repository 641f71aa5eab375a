using Keel.Core.Pipelines.Definition;

namespace Keel.Application.Pipelines;

/// <summary>
/// A kind of pipeline step (train, evaluate, gate, command, …): what it takes and makes, how its
/// parameters are checked, and how it runs. A step may run again after a lost worker, so running
/// twice must be safe (idempotent writes, or writes keyed by the run and step).
/// </summary>
public interface IStepType
{
    /// <summary>The name used as a step's <c>type</c>.</summary>
    string Name { get; }

    /// <summary>Raised whenever the type's behaviour changes, which invalidates cached outputs.</summary>
    int Version { get; }

    /// <summary>One line on what it does.</summary>
    string Summary { get; }

    /// <summary>The inputs it takes (for <c>command</c>, those the step names, of any kind).</summary>
    /// <param name="step">The step as defined.</param>
    IReadOnlyList<StepPort> InputsOf(StepDefinition step);

    /// <summary>
    /// Template scopes its parameters may use besides <c>params</c> (for <c>command</c>: <c>inputs</c> and
    /// <c>outputs</c>, filled in by the type itself with paths).
    /// </summary>
    IReadOnlyCollection<string> ParamScopes { get; }

    /// <summary>The outputs it makes (for <c>command</c>, those the step declares).</summary>
    /// <param name="step">The step as defined.</param>
    IReadOnlyList<StepPort> OutputsOf(StepDefinition step);

    /// <summary>False for types with effects outside their outputs (registering, deploying): they always run.</summary>
    bool Cacheable { get; }

    /// <summary>Checks a step's parameters when the pipeline is applied; throws INVALID_PARAMETER_VALUE naming the step and field.</summary>
    /// <param name="step">The step as defined.</param>
    void Validate(StepDefinition step);

    /// <summary>
    /// Extra content that decides the outputs besides parameters and inputs, for the cache key (for
    /// <c>command</c>, the hashes of the executable and the files it names). Empty for most types.
    /// </summary>
    /// <param name="context">The step about to run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken);

    /// <summary>Runs the step and returns its outputs; throwing fails the try.</summary>
    /// <param name="context">The step to run.</param>
    /// <param name="cancellationToken">Cancelled on timeout, cancellation of the run, or a lost worker.</param>
    Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken);
}
