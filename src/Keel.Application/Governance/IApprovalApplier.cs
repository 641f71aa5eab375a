using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>Carries out an approved change: the action's use case, as the requester, under the approval.</summary>
public interface IApprovalApplier
{
    /// <summary>True when the server carries out this action itself once approved; other (explicit) requests stay approved for their requester to act on.</summary>
    /// <param name="action">The action.</param>
    bool CanApply(string action);

    /// <summary>Makes the change; returns a short description of the result.</summary>
    /// <param name="approval">The approved request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Keel.Core.Errors.KeelException">The change is no longer possible (e.g. the version was deleted).</exception>
    Task<string> ApplyAsync(Approval approval, CancellationToken cancellationToken = default);

    /// <summary>Applies nothing: every request stays approved.</summary>
    static IApprovalApplier None { get; } = new NoApplier();

    private sealed class NoApplier : IApprovalApplier
    {
        public bool CanApply(string action) => false;

        public Task<string> ApplyAsync(Approval approval, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
