using Keel.Core.Errors;
using Keel.Core.Governance;
using Xunit;

namespace Keel.Storage.Contracts;

/// <summary>
/// The behaviour every <see cref="IAuditLog"/> backend signs up to: appends get the next sequence and
/// link to the previous event's hash from the zero genesis; queries filter and page; verification
/// recomputes every hash, and a row edited or deleted behind Keel's back (raw SQL through
/// <see cref="TamperAsync"/>) is named; appends from several tasks at once make one unbroken chain.
/// </summary>
public abstract class AuditLogContract : IDisposable
{
    private IAuditLog? _log;

    /// <summary>Returns a fresh, empty audit log.</summary>
    protected abstract IAuditLog CreateLog();

    /// <summary>Runs raw SQL on the log's database, as someone with database access could.</summary>
    protected abstract Task TamperAsync(string sql);

    /// <summary>Appends an event (over HTTP, through the server's own log: the log has no append route).</summary>
    protected virtual Task<AuditEvent> AppendAsync(AuditEntry entry) => Log.AppendAsync(entry);

    protected IAuditLog Log => _log ??= CreateLog();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    [ContractFact]
    public async Task Appends_take_the_next_sequence_and_link_to_the_previous_hash()
    {
        var first = await AppendAsync(new AuditEntry("alice", "registered_model.create", "registered_model", "churn", null, "{\"name\":\"churn\"}"));
        var second = await AppendAsync(new AuditEntry("bob", "registered_model.alias.set", "registered_model", "churn@champion", "null", "{\"version\":\"2\"}", "prod", 7));
        Assert.Equal((1L, 2L), (first.Sequence, second.Sequence));
        Assert.Equal(new byte[32], first.PreviousHash);
        Assert.Equal(first.Hash, second.PreviousHash);
        Assert.Equal(AuditChain.ComputeHash(second), second.Hash);
        Assert.True(second.Timestamp >= first.Timestamp);

        var read = await Log.QueryAsync(new AuditQuery { NewestFirst = false });
        Assert.Equal([1L, 2L], read.Select(e => e.Sequence));
        var stored = read[1];
        Assert.Equal(
            ("bob", "registered_model.alias.set", "registered_model", "churn@champion", "prod", (long?)7, "null", "{\"version\":\"2\"}"),
            (stored.Actor, stored.Action, stored.ResourceType, stored.Resource, stored.Environment, stored.ApprovalId, stored.Before, stored.After));
        Assert.Equal(second.Hash, stored.Hash);
        Assert.Null(read[0].Before);
        Assert.Null(read[0].Environment);
    }

    [ContractFact]
    public async Task Queries_filter_by_each_field_and_page_by_sequence()
    {
        await AppendAsync(new AuditEntry("alice", "endpoint.create", "endpoint", "churn", After: "{}"));
        await AppendAsync(new AuditEntry("bob", "endpoint.traffic.set", "endpoint", "churn", "{}", "{}"));
        await AppendAsync(new AuditEntry("alice", "registered_model.alias.set", "registered_model", "churn@champion", After: "{}", ApprovalId: 3));
        await AppendAsync(new AuditEntry("carol", "endpoint.delete", "endpoint", "fraud", Before: "{}"));

        Assert.Equal([4L, 3L, 2L, 1L], (await Log.QueryAsync(new AuditQuery())).Select(e => e.Sequence));
        Assert.Equal([3L, 1L], (await Log.QueryAsync(new AuditQuery { Actor = "alice" })).Select(e => e.Sequence));
        Assert.Equal([4L, 2L, 1L], (await Log.QueryAsync(new AuditQuery { ActionPrefix = "endpoint." })).Select(e => e.Sequence));
        Assert.Equal([2L], (await Log.QueryAsync(new AuditQuery { ActionPrefix = "endpoint.traffic" })).Select(e => e.Sequence));
        Assert.Equal([3L], (await Log.QueryAsync(new AuditQuery { ResourceType = "registered_model" })).Select(e => e.Sequence));
        Assert.Equal([2L, 1L], (await Log.QueryAsync(new AuditQuery { ResourceType = "endpoint", Resource = "churn" })).Select(e => e.Sequence));
        Assert.Equal([3L], (await Log.QueryAsync(new AuditQuery { ApprovalId = 3 })).Select(e => e.Sequence));
        Assert.Empty(await Log.QueryAsync(new AuditQuery { ActionPrefix = "endpoint.%" }));

        var all = await Log.QueryAsync(new AuditQuery { NewestFirst = false });
        var t = all[1].Timestamp;
        Assert.All(await Log.QueryAsync(new AuditQuery { From = t }), e => Assert.True(e.Timestamp >= t));
        Assert.All(await Log.QueryAsync(new AuditQuery { To = t }), e => Assert.True(e.Timestamp <= t));
        Assert.Empty(await Log.QueryAsync(new AuditQuery { To = all[0].Timestamp - 1 }));

        // Paging: newest first continues below the last sequence seen, oldest first above it.
        var page1 = await Log.QueryAsync(new AuditQuery { MaxResults = 3 });
        Assert.Equal([4L, 3L, 2L], page1.Select(e => e.Sequence));
        Assert.Equal([1L], (await Log.QueryAsync(new AuditQuery { MaxResults = 3, AfterSequence = 2 })).Select(e => e.Sequence));
        Assert.Equal([3L, 4L], (await Log.QueryAsync(new AuditQuery { NewestFirst = false, AfterSequence = 2 })).Select(e => e.Sequence));
    }

    [ContractFact]
    public async Task A_page_size_out_of_range_is_invalid()
    {
        var e = await Assert.ThrowsAnyAsync<KeelException>(() => Log.QueryAsync(new AuditQuery { MaxResults = 0 }));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
    }

    [ContractFact]
    public async Task An_untouched_log_verifies_and_reports_its_head()
    {
        var empty = await Log.VerifyAsync();
        Assert.True(empty.Intact);
        Assert.Equal((0L, 0L), (empty.Count, empty.HeadSequence));
        AuditEvent last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await AppendAsync(new AuditEntry("alice", "dataset.alias.set", "dataset", "d@latest", i == 0 ? null : "{\"v\":" + i + "}", "{\"v\":" + (i + 1) + "}"));
        }

        var result = await Log.VerifyAsync();
        Assert.True(result.Intact, result.Detail);
        Assert.Equal((5L, 5L, AuditChain.Hex(last.Hash)), (result.Count, result.HeadSequence, result.HeadHash));
        Assert.Null(result.BrokenSequence);
    }

    [ContractFact]
    public async Task A_row_edited_in_the_database_is_named_by_verify()
    {
        for (var i = 1; i <= 5; i++)
        {
            await AppendAsync(new AuditEntry("alice", "endpoint.update", "endpoint", "churn", "{\"v\":" + (i - 1) + "}", "{\"v\":" + i + "}"));
        }

        await TamperAsync("UPDATE audit_events SET after = '{\"v\":99}' WHERE seq = 3");
        var result = await Log.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal((3L, AuditChainProblem.HashMismatch, 2L), (result.BrokenSequence, result.Problem, result.HeadSequence));
        Assert.Contains("Event 3", result.Detail, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task A_row_deleted_in_the_database_is_a_gap_named_by_verify()
    {
        for (var i = 1; i <= 4; i++)
        {
            await AppendAsync(new AuditEntry("bob", "pipeline.run.start", "pipeline", "retrain", After: "{\"run\":" + i + "}"));
        }

        await TamperAsync("DELETE FROM audit_events WHERE seq = 2");
        var result = await Log.VerifyAsync();
        Assert.Equal((3L, AuditChainProblem.SequenceGap), (result.BrokenSequence, result.Problem));
        Assert.Contains("Event 2 is missing", result.Detail, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task Concurrent_appends_make_one_unbroken_chain()
    {
        const int Writers = 6;
        const int Each = 10;
        _ = Log; // Opened once, before the writers start.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < Each; i++)
            {
                await AppendAsync(new AuditEntry("writer-" + w, "endpoint.update", "endpoint", "e" + w, After: "{\"i\":" + i + "}"));
            }
        })));

        var result = await Log.VerifyAsync();
        Assert.True(result.Intact, result.Detail);
        Assert.Equal(Writers * Each, result.Count);
        var all = await Log.QueryAsync(new AuditQuery { NewestFirst = false, MaxResults = 1000 });
        Assert.Equal(Enumerable.Range(1, Writers * Each).Select(i => (long)i), all.Select(e => e.Sequence));
    }

    [ContractFact]
    public async Task An_entry_without_an_actor_is_refused_and_nothing_is_appended()
    {
        var e = await Assert.ThrowsAnyAsync<KeelException>(() => AppendAsync(new AuditEntry(string.Empty, "x.y", "t", "r")));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Empty(await Log.QueryAsync(new AuditQuery()));
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _log is IDisposable d)
        {
            d.Dispose();
        }
    }
}
