using Keel.Core.Tracking;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Keel.Storage.Sqlite;

/// <summary>
/// Inserts metric points through one raw prepared SQLite statement bound by parameter index.
/// Written against SQLitePCL directly (the engine under Microsoft.Data.Sqlite) because this is
/// the ingestion hot path: measured here, Microsoft.Data.Sqlite's per-execution parameter binding
/// cost more than SQLite's own B-tree work. Points are inserted sorted by (key, step) so each key's
/// part of the clustered index is appended to in order. Runs inside the caller's transaction on the
/// writer connection, under the store's write lock.
/// </summary>
internal sealed class MetricPointInserter : IDisposable
{
    private const string Sql =
        "INSERT OR IGNORE INTO metrics (run_key, key, step, timestamp, value, is_nan) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private int[] _order = new int[1024];

    public MetricPointInserter(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The writer connection must be open.");
        Check(raw.sqlite3_prepare_v3(_db, Sql, raw.SQLITE_PREPARE_PERSISTENT, out _statement));
    }

    public void Insert(long runKey, IReadOnlyList<Metric> metrics)
    {
        var count = metrics.Count;
        if (_order.Length < count)
        {
            _order = new int[count];
        }

        var order = _order.AsSpan(0, count);
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        order.Sort((a, b) =>
        {
            var byKey = string.CompareOrdinal(metrics[a].Key, metrics[b].Key);
            return byKey != 0 ? byKey : metrics[a].Step.CompareTo(metrics[b].Step);
        });

        Check(raw.sqlite3_bind_int64(_statement, 1, runKey));
        string? boundKey = null;
        foreach (var i in order)
        {
            var metric = metrics[i];
            if (!ReferenceEquals(metric.Key, boundKey) && metric.Key != boundKey)
            {
                Check(raw.sqlite3_bind_text(_statement, 2, metric.Key));
                boundKey = metric.Key;
            }

            var isNan = double.IsNaN(metric.Value);
            Check(raw.sqlite3_bind_int64(_statement, 3, metric.Step));
            Check(raw.sqlite3_bind_int64(_statement, 4, metric.Timestamp));
            Check(raw.sqlite3_bind_double(_statement, 5, isNan ? 0.0 : metric.Value));
            Check(raw.sqlite3_bind_int64(_statement, 6, isNan ? 1 : 0));
            var rc = raw.sqlite3_step(_statement);
            raw.sqlite3_reset(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }
        }

        raw.sqlite3_clear_bindings(_statement);
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE)
        {
            // Same exception type the rest of the store translates at its boundary.
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
        }
    }
}
