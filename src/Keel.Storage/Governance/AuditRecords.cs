using System.Data.Common;
using System.Globalization;
using System.Text;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Keel.Storage.Sql;

namespace Keel.Storage.Governance;

/// <summary>
/// The audit log's SQL, written once for SQLite and PostgreSQL. The table is append-only: there is
/// an insert and there are reads, nothing else. An append reads the head (sequence, hash, time) and
/// inserts the next event in the same transaction, after the <c>appendLock</c> statement: on
/// PostgreSQL a transaction-scoped advisory lock so appends from several replicas queue and the
/// chain cannot fork; on SQLite the file's one writer already serialises them.
/// </summary>
internal sealed class AuditRecords : PortableSql
{
    private const string Columns =
        "seq, time, actor, action, resource_type, resource, environment, approval_id, before, after, previous_hash, hash";

    private readonly string _appendLock;
    private readonly TimeProvider _time;

    /// <param name="namedParameters">True for SQLite, false for PostgreSQL.</param>
    /// <param name="appendLock">A statement run first in an append's transaction that serialises appends, or empty.</param>
    /// <param name="time">The clock for event times.</param>
    public AuditRecords(bool namedParameters, string appendLock, TimeProvider time)
        : base(namedParameters)
    {
        _appendLock = appendLock;
        _time = time;
    }

    public async Task<AuditEvent> AppendAsync(DbConnection connection, DbTransaction transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        Validate(entry);
        if (_appendLock.Length > 0)
        {
            await ExecuteAsync(connection, transaction, cancellationToken, _appendLock).ConfigureAwait(false);
        }

        var head = await ListAsync(
            connection, transaction, cancellationToken,
            r => (Sequence: r.GetInt64(0), Time: r.GetInt64(1), Hash: (byte[])r.GetValue(2)),
            "SELECT seq, time, hash FROM audit_events ORDER BY seq DESC LIMIT 1").ConfigureAwait(false);
        var sequence = head.Count == 0 ? 1 : head[0].Sequence + 1;
        var previous = head.Count == 0 ? AuditChain.Genesis.ToArray() : head[0].Hash;

        // Times never go backwards along the chain, so "the last change before T" is the last by sequence.
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var timestamp = head.Count == 0 ? now : Math.Max(now, head[0].Time);
        var hash = AuditChain.ComputeHash(previous, sequence, timestamp, entry);
        await ExecuteAsync(
            connection, transaction, cancellationToken,
            "INSERT INTO audit_events (" + Columns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            sequence, timestamp, entry.Actor, entry.Action, entry.ResourceType, entry.Resource, entry.Environment, entry.ApprovalId,
            entry.Before, entry.After, previous, hash).ConfigureAwait(false);
        return new AuditEvent(sequence, timestamp, entry.Actor, entry.Action, entry.ResourceType, entry.Resource, entry.Environment, entry.ApprovalId, entry.Before, entry.After, previous, hash);
    }

    public async Task<IReadOnlyList<AuditEvent>> QueryAsync(DbConnection connection, DbTransaction? transaction, AuditQuery query, CancellationToken cancellationToken)
    {
        if (query.MaxResults is < 1 or > AuditQuery.MaxPage)
        {
            throw KeelException.InvalidParameter($"max_results must be between 1 and {AuditQuery.MaxPage}, got {query.MaxResults}.");
        }

        var sql = new StringBuilder("SELECT " + Columns + " FROM audit_events WHERE 1 = 1");
        var values = new List<object?>();
        void Filter(string clause, object? value)
        {
            if (value is not null)
            {
                values.Add(value);
                sql.Append(" AND ").Append(clause.Replace("$?", "$" + values.Count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
            }
        }

        Filter("actor = $?", query.Actor);
        if (query.ActionPrefix is { } prefix)
        {
            values.Add(prefix);
            var p = "$" + values.Count.ToString(CultureInfo.InvariantCulture);
            sql.Append(CultureInfo.InvariantCulture, $" AND substr(action, 1, length({p})) = {p}");
        }

        Filter("resource_type = $?", query.ResourceType);
        Filter("resource = $?", query.Resource);
        Filter("approval_id = $?", query.ApprovalId);
        Filter("time >= $?", query.From);
        Filter("time <= $?", query.To);
        Filter(query.NewestFirst ? "seq < $?" : "seq > $?", query.AfterSequence);
        values.Add((long)query.MaxResults);
        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY seq {(query.NewestFirst ? "DESC" : "ASC")} LIMIT ${values.Count}");
        return await ListAsync(connection, transaction, cancellationToken, Read, sql.ToString(), [.. values]).ConfigureAwait(false);
    }

    /// <summary>Streams every event oldest first through the verifier; the strings are read but no event objects are built.</summary>
    public async Task<AuditVerification> VerifyAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var verifier = new AuditChainVerifier();
        var previous = new byte[AuditChain.HashSize];
        var hash = new byte[AuditChain.HashSize];
        await using var command = Command(connection, transaction, "SELECT " + Columns + " FROM audit_events ORDER BY seq", []);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var sequence = reader.GetInt64(0);
            if (!verifier.Start(sequence, reader.GetInt64(1)))
            {
                break;
            }

            var encoder = verifier.Encoder;
            encoder.Text(reader.GetString(2));
            encoder.Text(reader.GetString(3));
            encoder.Text(reader.GetString(4));
            encoder.Text(reader.GetString(5));
            encoder.Text(reader.IsDBNull(6) ? null : reader.GetString(6));
            encoder.OptionalInt64(reader.IsDBNull(7) ? null : reader.GetInt64(7));
            encoder.Text(reader.IsDBNull(8) ? null : reader.GetString(8));
            encoder.Text(reader.IsDBNull(9) ? null : reader.GetString(9));
            var p = HashInto(reader, 10, previous);
            var h = HashInto(reader, 11, hash);
            if (!verifier.CheckEncoded(sequence, previous.AsSpan(0, p), hash.AsSpan(0, h)))
            {
                break;
            }
        }

        return verifier.Result();
    }

    private static int HashInto(DbDataReader reader, int ordinal, byte[] buffer) =>
        reader.IsDBNull(ordinal) ? 0 : (int)reader.GetBytes(ordinal, 0, buffer, 0, buffer.Length);

    private static AuditEvent Read(DbDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.IsDBNull(7) ? null : r.GetInt64(7),
        r.IsDBNull(8) ? null : r.GetString(8),
        r.IsDBNull(9) ? null : r.GetString(9),
        (byte[])r.GetValue(10), (byte[])r.GetValue(11));

    private static void Validate(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Require(entry.Actor, "actor");
        Require(entry.Action, "action");
        Require(entry.ResourceType, "resource_type");
        Require(entry.Resource, "resource");
    }

    private static void Require(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw KeelException.InvalidParameter($"An audit event needs a non-empty {field}.");
        }
    }
}
