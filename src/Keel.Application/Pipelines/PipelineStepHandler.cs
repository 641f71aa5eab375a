using Keel.Core.Jobs;

namespace Keel.Application.Pipelines;

/// <summary>Runs pipeline steps from the job queue, in <c>keel server</c> (in process) or on <c>keel worker</c> replicas.</summary>
/// <param name="runner">The runner.</param>
public sealed class PipelineStepHandler(PipelineRunner runner) : IJobHandler
{
    /// <inheritdoc />
    public string Kind => PipelineOptions.StepJobKind;

    /// <inheritdoc />
    public Task<string?> RunAsync(Job job, CancellationToken cancellationToken) => runner.ExecuteStepAsync(job, cancellationToken);
}
