namespace Keel.Core.Governance;

/// <summary>A sink that keeps nothing, for tools and tests that compose a use case without an audit log.</summary>
public sealed class NullAuditSink : IAuditSink
{
    /// <summary>The one instance.</summary>
    public static readonly NullAuditSink Instance = new();

    private NullAuditSink()
    {
    }

    /// <inheritdoc/>
    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
