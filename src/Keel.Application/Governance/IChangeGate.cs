using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>
/// Asked by a use case before it makes a deploying change (alias moves, rollouts, promotion,
/// traffic): lets it through, or stores a request for approval and throws
/// <see cref="ApprovalRequiredException"/> so the change is not made.
/// </summary>
public interface IChangeGate
{
    /// <summary>No environment requires approval (tests, tools without a server).</summary>
    static IChangeGate Open { get; } = new OpenGate();

    /// <summary>Lets the change through (returning the approval it is carried out under, or null when none was needed), or requests approval.</summary>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ApprovalRequiredException">The environment requires approval: the request was stored and the change must not be made.</exception>
    Task<Approval?> CheckAsync(GatedChange change, CancellationToken cancellationToken = default);

    private sealed class OpenGate : IChangeGate
    {
        public Task<Approval?> CheckAsync(GatedChange change, CancellationToken cancellationToken = default) => Task.FromResult<Approval?>(null);
    }
}
