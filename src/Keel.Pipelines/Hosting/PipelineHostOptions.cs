using Keel.Core.Configuration;
using Keel.Core.Errors;

namespace Keel.Pipelines.Hosting;

/// <summary>How a server runs pipelines, from the environment (see <see cref="KeelEnvironment"/>) or given by the host.</summary>
public sealed record PipelineHostOptions
{
    /// <summary>Run steps in this process (true on a laptop); false leaves them to <c>keel worker</c> replicas.</summary>
    public bool InProcess { get; init; } = true;

    /// <summary>Steps run at the same time in this process.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Time between scheduler passes.</summary>
    public TimeSpan SchedulerInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of a step without its own.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Scheduler passes between two reconcile passes over unfinished runs.</summary>
    public int ReconcileEvery { get; init; } = 5;

    /// <summary>The defaults overridden by the environment; a malformed value fails at start naming its variable.</summary>
    /// <param name="defaults">The defaults.</param>
    public static PipelineHostOptions FromEnvironment(PipelineHostOptions? defaults = null)
    {
        var o = defaults ?? new PipelineHostOptions();
        return o with
        {
            InProcess = KeelEnvironment.Text(KeelEnvironment.PipelineInProcess) is { } flag
                ? flag.Trim().ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" => true,
                    "false" or "0" or "no" => false,
                    _ => throw KeelException.InvalidParameter($"Invalid {KeelEnvironment.PipelineInProcess} '{flag}': use true or false."),
                }
                : o.InProcess,
            Workers = KeelEnvironment.WholeNumber(KeelEnvironment.PipelineWorkers, 1, 64) ?? o.Workers,
            SchedulerInterval = KeelEnvironment.Number(KeelEnvironment.PipelineSchedulerSeconds, 0.05, 3600) is { } s ? TimeSpan.FromSeconds(s) : o.SchedulerInterval,
            StepTimeout = KeelEnvironment.WholeNumber(KeelEnvironment.PipelineStepTimeoutSeconds, 1, 7 * 86_400) is { } t ? TimeSpan.FromSeconds(t) : o.StepTimeout,
        };
    }
}
