using Keel.Application;
using Keel.Application.Governance;
using Keel.Core.Backends;
using Keel.Core.Coordination;
using Keel.Core.Governance;
using Keel.Core.Registry;
using Keel.Core.Tracking;

namespace Keel.Server.Governance;

/// <summary>
/// Environments and approvals in the server: the resolver, the gate the registry and serving use
/// cases pass, the evidence, who may approve (role bindings when a governance store is registered;
/// otherwise only admins), the applier, the use cases and the expiry sweep.
/// </summary>
internal static class ApprovalComposition
{
    public static void AddKeelApprovals(IServiceCollection services, IMetadataBackend backend, ApprovalOptions options, Func<IServiceProvider, string> replica)
    {
        services.AddSingleton(options);
        services.AddSingleton(backend.Environments);
        services.AddSingleton(_ => new EnvironmentResolver(backend.Environments));
        services.AddSingleton(sp => new ApprovalEvidence(
            sp.GetRequiredService<IModelRegistryStore>(), sp.GetRequiredService<ITrackingStore>(), backend.Pipelines,
            (run, ct) => ModelCardAsync(sp.GetRequiredService<Keel.Server.Artifacts.ArtifactLocations>(), run, ct)));
        services.AddSingleton<IChangeGate>(sp => new ApprovalGate(
            backend.Environments, sp.GetRequiredService<EnvironmentResolver>(), sp.GetRequiredService<ApprovalEvidence>(), sp.GetRequiredService<IAuditSink>(), options.Time, options.WaitPoll));
        services.AddSingleton<IRoleLookup>(sp => sp.GetService<IGovernanceStore>() is { } governance ? new GovernanceRoleLookup(governance) : IRoleLookup.Nobody);
        services.AddSingleton<IApprovalApplier>(sp => new ApprovalActions(sp.GetRequiredService<RegistryService>(), () => sp.GetService<ServingService>()));
        services.AddSingleton(sp => new ApprovalService(
            backend.Environments, sp.GetRequiredService<EnvironmentResolver>(), sp.GetRequiredService<IRoleLookup>(), sp.GetRequiredService<IApprovalApplier>(),
            sp.GetRequiredService<IAuditSink>(), options.Time));
        services.AddSingleton(sp => new EnvironmentService(backend.Environments, sp.GetRequiredService<EnvironmentResolver>(), sp.GetRequiredService<IAuditSink>()));
        services.AddHostedService(sp => new ApprovalSweep(
            sp.GetRequiredService<ApprovalService>(), (ILeaseStore)backend.Serving, replica(sp), options.SweepInterval, sp.GetRequiredService<ILogger<ApprovalSweep>>()));
    }

    // The training report writes model_card.md at the run's artifact root.
    private static async Task<string?> ModelCardAsync(Keel.Server.Artifacts.ArtifactLocations locations, RunInfo run, CancellationToken cancellationToken)
    {
        try
        {
            var (store, root) = locations.Open(run.ArtifactUri);
            var entries = await store.ListAsync(root.Length == 0 ? null : root, cancellationToken).ConfigureAwait(false);
            return entries.Any(e => !e.IsDir && (e.Path == "model_card.md" || e.Path.EndsWith("/model_card.md", StringComparison.Ordinal)))
                ? run.ArtifactUri.TrimEnd('/') + "/model_card.md"
                : null;
        }
        catch (Keel.Core.Errors.KeelException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
