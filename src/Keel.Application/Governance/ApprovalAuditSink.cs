using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>
/// Stamps every audit entry recorded while an approved change is carried out
/// (<see cref="ApprovalScope"/>) with that approval's id, so the change itself names the approval
/// it was made under; then passes it on.
/// </summary>
public sealed class ApprovalAuditSink : IAuditSink
{
    private readonly IAuditSink _inner;

    /// <param name="inner">The audit log.</param>
    public ApprovalAuditSink(IAuditSink inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _inner.RecordAsync(
            entry.ApprovalId is null && ApprovalScope.Current is { } approval ? entry with { ApprovalId = approval.Id, Environment = entry.Environment ?? approval.Environment } : entry,
            cancellationToken);
    }
}
