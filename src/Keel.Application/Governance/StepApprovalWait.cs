using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>
/// A pipeline step that is running in this process, for the gate: a change the step makes that needs
/// approval does not fail the step; the gate stores the request, moves the step to
/// waiting_for_approval, waits for the decision and, once approved, lets the step's own call make
/// the change (so the step resumes where it stood). The runner settles the approvals the step waited
/// on when the step ends: applied when it succeeded, failed with its error otherwise.
/// </summary>
public sealed class StepApprovalWait
{
    private static readonly AsyncLocal<StepApprovalWait?> CurrentWait = new();
    private readonly Func<Approval, CancellationToken, Task> _waiting;
    private readonly Func<Approval, CancellationToken, Task> _resumed;
    private readonly List<Func<bool, string, Task>> _settle = [];

    /// <param name="waiting">Moves the step to waiting_for_approval (and logs the approval).</param>
    /// <param name="resumed">Moves it back to running once the decision is in.</param>
    public StepApprovalWait(Func<Approval, CancellationToken, Task> waiting, Func<Approval, CancellationToken, Task> resumed)
    {
        _waiting = waiting ?? throw new ArgumentNullException(nameof(waiting));
        _resumed = resumed ?? throw new ArgumentNullException(nameof(resumed));
    }

    /// <summary>The step running in this flow, or null outside pipeline steps.</summary>
    public static StepApprovalWait? Current => CurrentWait.Value;

    /// <summary>Runs a step's body as <paramref name="wait"/> until the result is disposed.</summary>
    /// <param name="wait">The step.</param>
    public static IDisposable Enter(StepApprovalWait wait)
    {
        var before = CurrentWait.Value;
        CurrentWait.Value = wait;
        return new Exit(before);
    }

    /// <summary>The request stands: the step waits.</summary>
    public Task WaitingAsync(Approval approval, CancellationToken cancellationToken) => _waiting(approval, cancellationToken);

    /// <summary>The decision is in: the step runs on (to make the change, or to fail).</summary>
    public Task ResumedAsync(Approval approval, CancellationToken cancellationToken) => _resumed(approval, cancellationToken);

    /// <summary>Records how to settle an approved request when the step ends.</summary>
    public void OnSettle(Func<bool, string, Task> settle)
    {
        lock (_settle)
        {
            _settle.Add(settle);
        }
    }

    /// <summary>Settles every approved request the step waited on: applied when it succeeded, failed otherwise.</summary>
    /// <param name="succeeded">Whether the step succeeded.</param>
    /// <param name="detail">The outcome, or the step's error.</param>
    public async Task SettleAsync(bool succeeded, string detail)
    {
        Func<bool, string, Task>[] pending;
        lock (_settle)
        {
            pending = [.. _settle];
            _settle.Clear();
        }

        foreach (var settle in pending)
        {
            await settle(succeeded, detail).ConfigureAwait(false);
        }
    }

    private sealed class Exit(StepApprovalWait? before) : IDisposable
    {
        public void Dispose() => CurrentWait.Value = before;
    }
}
