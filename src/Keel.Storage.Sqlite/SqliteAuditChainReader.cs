using Keel.Core.Governance;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Verifies the audit chain straight from SQLite's row buffers: text and blob columns are read as
/// spans of the stored UTF-8 bytes (SQLitePCL, the engine under Microsoft.Data.Sqlite) and copied
/// into the verifier's encoding buffer, so a row costs no allocation and no UTF-16 round trip. This
/// is what keeps a million-event verification within two seconds (docs/benchmarks.md, Issue 14).
/// </summary>
internal static class SqliteAuditChainReader
{
    private const string Sql =
        "SELECT seq, time, actor, action, resource_type, resource, environment, approval_id, before, after, previous_hash, hash FROM audit_events ORDER BY seq";

    public static AuditVerification Verify(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection must be open.");
        // Read the file through a memory map: no read() call and copy per page over hundreds of megabytes.
        // The reader connection is shared, so the map is undone afterwards.
        Check(db, raw.sqlite3_exec(db, "PRAGMA mmap_size = 17179869184"));
        try
        {
            return VerifyRows(db, cancellationToken);
        }
        finally
        {
            raw.sqlite3_exec(db, "PRAGMA mmap_size = 0");
        }
    }

    private static AuditVerification VerifyRows(sqlite3 db, CancellationToken cancellationToken)
    {
        Check(db, raw.sqlite3_prepare_v2(db, Sql, out var statement));
        using (statement)
        {
            var verifier = new AuditChainVerifier();
            var encoder = verifier.Encoder;
            int rc;
            long rows = 0;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                if ((++rows & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var sequence = raw.sqlite3_column_int64(statement, 0);
                if (!verifier.Start(sequence, raw.sqlite3_column_int64(statement, 1)))
                {
                    break;
                }

                Text(statement, 2, encoder);
                Text(statement, 3, encoder);
                Text(statement, 4, encoder);
                Text(statement, 5, encoder);
                Text(statement, 6, encoder);
                encoder.OptionalInt64(raw.sqlite3_column_type(statement, 7) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(statement, 7));
                Text(statement, 8, encoder);
                Text(statement, 9, encoder);
                if (!verifier.CheckEncoded(sequence, raw.sqlite3_column_blob(statement, 10), raw.sqlite3_column_blob(statement, 11)))
                {
                    break;
                }
            }

            if (rc is not raw.SQLITE_ROW and not raw.SQLITE_DONE)
            {
                Check(db, rc);
            }

            return verifier.Result();
        }
    }

    // A TEXT column's bytes as stored (the database is UTF-8); NULL is the encoding's null marker.
    private static void Text(sqlite3_stmt statement, int column, AuditEncoder encoder)
    {
        if (raw.sqlite3_column_type(statement, column) == raw.SQLITE_NULL)
        {
            encoder.Null();
        }
        else
        {
            encoder.Utf8(raw.sqlite3_column_blob(statement, column));
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
        }
    }
}
