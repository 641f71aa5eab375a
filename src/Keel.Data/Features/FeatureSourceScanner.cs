using System.Runtime.CompilerServices;
using DuckDB.NET.Data;
using Keel.Core.Errors;
using Keel.Core.Features;
using Keel.Data.Tables;

namespace Keel.Data.Features;

/// <summary>
/// The read side of materialization: the latest row of each entity of a view in a window of event
/// time, streamed from its source through DuckDB in chunks, so memory stays flat however many rows
/// the source holds.
/// </summary>
public sealed class FeatureSourceScanner
{
    private readonly Func<string, CancellationToken, Task<string>>? _resolvePath;

    /// <summary>A scanner.</summary>
    /// <param name="resolvePath">Checks out a source path that is not local (a <c>datasets:/</c> URI) and returns its local path; null when every source is local.</param>
    public FeatureSourceScanner(Func<string, CancellationToken, Task<string>>? resolvePath = null) => _resolvePath = resolvePath;

    /// <summary>
    /// For each entity of <paramref name="view"/>, its latest source row by (event time, created
    /// time) among rows with <c>start &lt; event_ts &lt;= end</c> (no lower bound when
    /// <paramref name="start"/> is null), as <see cref="OnlineRow"/>s in chunks of at most
    /// <paramref name="chunkSize"/>: the key is <see cref="EntityKeys.Of"/> of the join-key values
    /// in <see cref="FeatureDefinitions.JoinKeysOf"/> order (integers as long, text as string, as
    /// the online read path builds it from JSON), times in Unix milliseconds, the view's features in
    /// order normalized by <see cref="FeatureValues.Normalize"/>. Rows come in no particular order.
    /// </summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the source and column when the source cannot be read as the view says.</exception>
    public async IAsyncEnumerable<IReadOnlyList<OnlineRow>> LatestRowsAsync(
        FeatureDefinitions defs,
        FeatureView view,
        DateTimeOffset? start,
        DateTimeOffset end,
        int chunkSize,
        [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(defs);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        var connection = new DuckDBConnection("Data Source=:memory:");
        string? spill = null;
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            spill = await FeatureDuck.PrepareAsync(connection, ct).ConfigureAwait(false);
            await foreach (var chunk in ScanAsync(connection, defs, view, start, end, chunkSize, ct).ConfigureAwait(false))
            {
                yield return chunk;
            }
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            FeatureDuck.Cleanup(spill);
        }
    }

    private async IAsyncEnumerable<IReadOnlyList<OnlineRow>> ScanAsync(
        DuckDBConnection connection,
        FeatureDefinitions defs,
        FeatureView view,
        DateTimeOffset? start,
        DateTimeOffset end,
        int chunkSize,
        [EnumeratorCancellation] CancellationToken ct)
    {

        // Order is not needed, and without it DuckDB streams the window's output.
        await PointInTimeJoin.ExecAsync(connection, "SET preserve_insertion_order = false", ct).ConfigureAwait(false);
        var keys = defs.JoinKeysOf(view);
        var source = await FeatureSourceSql.BuildAsync(connection, defs, view, view.Features, "s_", _resolvePath, ct).ConfigureAwait(false);
        var window = new List<string> { $"s_ts <= {Literal(end)}" };
        if (start is { } from)
        {
            window.Add($"s_ts > {Literal(from)}");
        }

        var partition = keys.Count == 0 ? string.Empty : "PARTITION BY " + string.Join(", ", Enumerable.Range(0, keys.Count).Select(i => $"s_k{i}"));
        var columns = string.Join(", ", Enumerable.Range(0, keys.Count).Select(i => $"s_k{i}")
            .Append("epoch_ms(s_ts)")
            .Append("coalesce(epoch_ms(s_created), 0)")
            .Concat(Enumerable.Range(0, view.Features.Count).Select(i => $"s_f{i}")));
        var sql = $"SELECT {columns} FROM ({source.Select}) WHERE {string.Join(" AND ", window)} "
            + $"QUALIFY row_number() OVER ({partition} ORDER BY s_ts DESC, s_created DESC NULLS LAST) = 1";
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        DuckDBDataReader reader;
        try
        {
            reader = (DuckDBDataReader)await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        }
        catch (DuckDBException e)
        {
            throw KeelException.InvalidParameter($"Source '{source.Source.Name}' ({source.Source.Path}) of feature view '{view.Name}' cannot be read: {FeatureSourceSql.FirstLine(e.Message)}");
        }

        await using (reader.ConfigureAwait(false))
        {
            var chunk = new List<OnlineRow>(Math.Min(chunkSize, 65_536));
            var keyValues = new object?[keys.Count];
            while (await ReadAsync(reader, source.Source, view, ct).ConfigureAwait(false))
            {
                for (var i = 0; i < keys.Count; i++)
                {
                    keyValues[i] = KeyValue(reader.IsDBNull(i) ? null : reader.GetValue(i));
                }

                var values = new object?[view.Features.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    var ordinal = keys.Count + 2 + i;
                    values[i] = reader.IsDBNull(ordinal) ? null : FeatureValues.Normalize(reader.GetValue(ordinal), view.Features[i].Dtype);
                }

                chunk.Add(new OnlineRow(EntityKeys.Of(keyValues), reader.GetInt64(keys.Count), reader.GetInt64(keys.Count + 1), values));
                if (chunk.Count >= chunkSize)
                {
                    yield return chunk;
                    chunk = new List<OnlineRow>(Math.Min(chunkSize, 65_536));
                }
            }

            if (chunk.Count > 0)
            {
                yield return chunk;
            }
        }
    }

    /// <summary>A join-key value as the online path sees it from JSON: integers as long, text as string.</summary>
    internal static object? KeyValue(object? value) => value switch
    {
        null => null,
        long l => l,
        int i => (long)i,
        short s => (long)s,
        sbyte b => (long)b,
        byte b => (long)b,
        ushort u => (long)u,
        uint u => (long)u,
        ulong u => (long)u,
        System.Numerics.BigInteger b => (long)b,
        _ => value,
    };

    private static async Task<bool> ReadAsync(DuckDBDataReader reader, FeatureSource source, FeatureView view, CancellationToken ct)
    {
        try
        {
            return await reader.ReadAsync(ct).ConfigureAwait(false);
        }
        catch (DuckDBException e)
        {
            throw KeelException.InvalidParameter($"Source '{source.Name}' ({source.Path}) of feature view '{view.Name}' cannot be read: {FeatureSourceSql.FirstLine(e.Message)}");
        }
    }

    private static string Literal(DateTimeOffset time) =>
        $"make_timestamp({(time.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond}::BIGINT)";
}
