namespace Keel.Core.Governance;

/// <summary>The actors of changes no user made directly, and how a caller's name becomes an audit actor.</summary>
public static class AuditActors
{
    /// <summary>The rollout controller's automatic steps, promotions and rollbacks.</summary>
    public const string RolloutController = "keel:rollout-controller";

    /// <summary>A pipeline's steps, when the run has no triggering user.</summary>
    public const string Pipeline = "keel:pipeline";

    /// <summary>A caller that gave no name (authentication off and no X-Keel-User).</summary>
    public const string Anonymous = "keel:anonymous";

    /// <summary>The actor an event records for a caller: the name, a system actor, or <see cref="Anonymous"/>.</summary>
    /// <param name="actor">The caller's name as the use case got it.</param>
    public static string Of(string? actor) => actor switch
    {
        null or "" => Anonymous,
        "rollout-controller" => RolloutController,
        "keel-pipeline" => Pipeline,
        // A pipeline step names its run: pipeline:<name>/run:<id>/step:<step>.
        _ when actor.StartsWith("pipeline:", StringComparison.Ordinal) => "keel:" + actor,
        _ => actor,
    };
}

/// <summary>
/// The approval a change is being carried out under, for the code path between the approvals
/// helper and the use case that makes the change: <c>using (AuditScope.Approval(id)) { ... }</c>
/// and every event reported inside carries that approval id.
/// </summary>
public static class AuditScope
{
    private static readonly AsyncLocal<long?> Current = new();

    /// <summary>The approval of the change under way, or null.</summary>
    public static long? ApprovalId => Current.Value;

    /// <summary>Marks the changes made until the returned scope is disposed as carrying out <paramref name="approvalId"/>.</summary>
    /// <param name="approvalId">The approval.</param>
    public static IDisposable Approval(long approvalId)
    {
        var previous = Current.Value;
        Current.Value = approvalId;
        return new Restore(previous);
    }

    private sealed class Restore(long? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}

/// <summary>Reporting helpers for use cases.</summary>
public static class AuditSinkExtensions
{
    /// <summary>
    /// Records a change: the actor normalised by <see cref="AuditActors.Of"/>, the approval from
    /// <see cref="AuditScope"/> unless given.
    /// </summary>
    /// <param name="sink">The audit sink.</param>
    /// <param name="actor">Who, as the use case got it.</param>
    /// <param name="action">What, <c>area.verb</c>.</param>
    /// <param name="resourceType">The kind of resource.</param>
    /// <param name="resource">Its name.</param>
    /// <param name="before">JSON before, or null.</param>
    /// <param name="after">JSON after, or null.</param>
    /// <param name="environment">Its environment, or null.</param>
    /// <remarks>Not cancellable: the change is stored by now, so its event is written even if the caller has gone.</remarks>
    public static Task ReportAsync(
        this IAuditSink sink, string? actor, string action, string resourceType, string resource, string? before, string? after,
        string? environment = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return sink.RecordAsync(new AuditEntry(AuditActors.Of(actor), action, resourceType, resource, before, after, environment, AuditScope.ApprovalId), CancellationToken.None);
    }
}
