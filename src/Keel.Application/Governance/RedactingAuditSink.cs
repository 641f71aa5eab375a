using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>
/// Takes secrets out of an entry's before and after (keys named secret, password, token, *_key, …:
/// <see cref="Redact"/>) before it reaches the audit log, which can never be edited afterwards.
/// </summary>
public sealed class RedactingAuditSink(IAuditSink inner) : IAuditSink
{
    /// <inheritdoc/>
    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return inner.RecordAsync(entry with { Before = Redact.Json(entry.Before), After = Redact.Json(entry.After) }, cancellationToken);
    }
}
