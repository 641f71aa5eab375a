using System.Collections.Concurrent;
using Keel.Core.Governance;

namespace Keel.EndToEnd.Tests.Governance;

/// <summary>Keeps every audit entry a server reports, for tests that check what was recorded.</summary>
internal sealed class CapturingAuditSink : IAuditSink
{
    private readonly ConcurrentQueue<AuditEntry> _entries = new();

    public IReadOnlyList<AuditEntry> Entries => [.. _entries];

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        _entries.Enqueue(entry);
        return Task.CompletedTask;
    }
}
