using Keel.Client;
using Keel.Core.Backends;
using Keel.Core.Governance;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.Storage.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests;

/// <summary>
/// The SDK's <see cref="RestEnvironmentStore"/> enrolls in the environment store contract: each test
/// gets a fresh in-process server; policies, assignments, reads and decisions (approve, reject) go
/// over real HTTP, through the server's rules. Two writes have no HTTP form, so the test makes them
/// on the server's own store and reads their effect back over HTTP: creating a request with a given
/// expiry (the API's explicit request takes its environment's TTL), and the server's own moves
/// (applied, failed, expired). The change version is the server's cache key, not an API.
/// </summary>
public sealed class RestEnvironmentStoreContractTests : EnvironmentStoreContract, IAsyncLifetime
{
    private readonly InProcessServers _servers = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();

    protected override IEnvironmentStore CreateStore()
    {
        var (client, services) = _servers.Start(new Keel.Server.KeelServerOptions());
        return new OverHttp(client.Environments, services.GetRequiredService<IMetadataBackend>().Environments);
    }

    private sealed class OverHttp(RestEnvironmentStore http, IEnvironmentStore server) : IEnvironmentStore
    {
        public Task<long> ChangeVersionAsync(CancellationToken cancellationToken = default) => server.ChangeVersionAsync(cancellationToken);

        public Task<IReadOnlyList<EnvironmentPolicy>> ListPoliciesAsync(CancellationToken cancellationToken = default) => http.ListPoliciesAsync(cancellationToken);

        public async Task<EnvironmentPolicy> GetPolicyAsync(string environment, CancellationToken cancellationToken = default) =>
            (await http.ListPoliciesAsync(cancellationToken)).FirstOrDefault(p => p.Name == environment) ?? EnvironmentDefaults.PolicyOf(environment);

        public Task<EnvironmentPolicy> PutPolicyAsync(EnvironmentPolicy policy, CancellationToken cancellationToken = default) =>
            http.PutPolicyAsync(policy.Name, policy.RequiresApproval, policy.ApprovalTtlSeconds / 3600.0, "admin", cancellationToken);

        public Task<IReadOnlyList<EnvironmentAssignment>> ListAssignmentsAsync(CancellationToken cancellationToken = default) => http.ListAssignmentsAsync(cancellationToken);

        public Task<EnvironmentAssignment> AssignAsync(EnvironmentAssignment assignment, CancellationToken cancellationToken = default) =>
            http.AssignAsync(Keel.Core.Wire.EnvironmentWire.KindName(assignment.Kind), assignment.Resource, assignment.Environment, "admin", cancellationToken);

        public Task UnassignAsync(GovernedResource kind, string resource, CancellationToken cancellationToken = default) =>
            http.UnassignAsync(Keel.Core.Wire.EnvironmentWire.KindName(kind), resource, "admin", cancellationToken);

        public Task<Approval> CreateApprovalAsync(NewApproval approval, CancellationToken cancellationToken = default) => server.CreateApprovalAsync(approval, cancellationToken);

        public Task<Approval?> FindApprovalAsync(long id, CancellationToken cancellationToken = default) => http.FindApprovalAsync(id, cancellationToken);

        public Task<IReadOnlyList<Approval>> ListApprovalsAsync(ApprovalQuery query, CancellationToken cancellationToken = default) => http.ListApprovalsAsync(query, cancellationToken);

        public Task<Approval> DecideAsync(long id, ApprovalDecision decision, CancellationToken cancellationToken = default) => decision.To switch
        {
            ApprovalState.Approved => http.ApproveAsync(id, decision.Comment, decision.ExpectedVersion, decision.By, cancellationToken),
            ApprovalState.Rejected => http.RejectAsync(id, decision.Comment ?? "rejected", decision.ExpectedVersion, decision.By, cancellationToken),
            _ => server.DecideAsync(id, decision, cancellationToken),
        };
    }
}
