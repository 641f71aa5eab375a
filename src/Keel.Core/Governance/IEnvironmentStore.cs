namespace Keel.Core.Governance;

/// <summary>
/// Environments on a metadata backend: each environment's policy (whether deploying changes need
/// approval, and how long a request waits), which environment each resource belongs to, and the
/// approvals themselves. Policies and assignments raise <see cref="ChangeVersionAsync"/> so
/// resolvers can tell their cache is behind. Approvals move only along
/// <see cref="ApprovalTransitions"/>, each move checked against the version it was decided from.
/// Names are validated above the store.
/// </summary>
public interface IEnvironmentStore
{
    /// <summary>A number that grows with every change to a policy or an assignment.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<long> ChangeVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>Every environment's policy by name: the stored ones and the defaults (<see cref="EnvironmentDefaults"/>) not overridden.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<EnvironmentPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default);

    /// <summary>The environment's policy: stored, else its default.</summary>
    /// <param name="environment">The environment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<EnvironmentPolicy> GetPolicyAsync(string environment, CancellationToken cancellationToken = default);

    /// <summary>Stores an environment's policy, replacing the one before.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<EnvironmentPolicy> PutPolicyAsync(EnvironmentPolicy policy, CancellationToken cancellationToken = default);

    /// <summary>Every assignment, by kind then resource.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<EnvironmentAssignment>> ListAssignmentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Puts a resource in an environment, replacing its earlier assignment.</summary>
    /// <param name="assignment">The assignment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<EnvironmentAssignment> AssignAsync(EnvironmentAssignment assignment, CancellationToken cancellationToken = default);

    /// <summary>Removes a resource's assignment (it returns to the default environment).</summary>
    /// <param name="kind">The kind of resource.</param>
    /// <param name="resource">Its name or pattern.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">RESOURCE_DOES_NOT_EXIST when it was not assigned.</exception>
    Task UnassignAsync(GovernedResource kind, string resource, CancellationToken cancellationToken = default);

    /// <summary>Stores a new request, in state requested, version 1.</summary>
    /// <param name="approval">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Approval> CreateApprovalAsync(NewApproval approval, CancellationToken cancellationToken = default);

    /// <summary>The approval, or null.</summary>
    /// <param name="id">Its number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<Approval?> FindApprovalAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Approvals newest first.</summary>
    /// <param name="query">Which.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<Approval>> ListApprovalsAsync(ApprovalQuery query, CancellationToken cancellationToken = default);

    /// <summary>Moves an approval along <see cref="ApprovalTransitions"/> and raises its version.</summary>
    /// <param name="id">Its number.</param>
    /// <param name="decision">The move.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">
    /// RESOURCE_DOES_NOT_EXIST for an unknown id; RESOURCE_CONFLICT (and nothing changes) when the
    /// stored version is not the expected one, the table does not allow the move (it was decided
    /// already), or an approval is asked for after the request expired.
    /// </exception>
    Task<Approval> DecideAsync(long id, ApprovalDecision decision, CancellationToken cancellationToken = default);
}
