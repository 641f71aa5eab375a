namespace Keel.Core.Governance;

/// <summary>
/// Where a use case reports a change it made, for the tamper-evident audit log. Reporting happens
/// after the change is stored; the sink appends to the hash chain before returning.
/// </summary>
public interface IAuditSink
{
    /// <summary>Appends one change to the audit log.</summary>
    /// <param name="entry">The change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default);
}
