using System.Data.Common;
using System.Security.Cryptography;
using Keel.Core.Jobs;

namespace Keel.Storage.Jobs;

/// <summary>The jobs table as every backend lays it out: the column list, row mapping, lease tokens and the messages a lapsed lease leaves.</summary>
internal static class JobRows
{
    /// <summary>The columns <see cref="Read"/> maps, in order.</summary>
    public const string Columns =
        "id, kind, payload, state, attempts, max_attempts, idempotency_key, not_before, created_at, updated_at, lease_owner, lease_expires_at, result, last_error, finished_at";

    public static Job Read(DbDataReader r) => new(
        r.GetInt64(0),
        r.GetString(1),
        r.GetString(2),
        JobStateTransitions.Parse(r.GetString(3)) ?? throw new InvalidDataException($"Unknown job state '{r.GetString(3)}' in the jobs table."),
        r.GetInt32(4),
        r.GetInt32(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.GetInt64(7),
        r.GetInt64(8),
        r.GetInt64(9),
        r.IsDBNull(10) ? null : r.GetString(10),
        r.IsDBNull(11) ? null : r.GetInt64(11),
        r.IsDBNull(12) ? null : r.GetString(12),
        r.IsDBNull(13) ? null : r.GetString(13),
        r.IsDBNull(14) ? null : r.GetInt64(14));

    /// <summary>An unguessable lease token: holding it is what proves the lease.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The last error a job gets when its lease lapsed (its worker died or stalled).</summary>
    public const string LapsedLease = "The lease of worker ' || COALESCE(lease_owner, '?') || ' expired before the job finished (attempt ' || attempts || ').";

    public static string Name(JobState state) => JobStateTransitions.Name(state);
}
