using System.Net.Sockets;
using Keel.Core.Errors;
using Npgsql;

namespace Keel.Storage.Postgres;

/// <summary>
/// Translates driver errors at the store boundary so no NpgsqlException reaches a caller: each
/// becomes a <see cref="KeelException"/> whose code the HTTP layer maps (unique violation → 400
/// RESOURCE_ALREADY_EXISTS, an unreachable or overloaded server → 503, a full disk → 507).
/// </summary>
internal static class PostgresErrors
{
    public const string UniqueViolation = "23505";
    public const string ForeignKeyViolation = "23503";
    public const string SerializationFailure = "40001";
    public const string DeadlockDetected = "40P01";

    /// <summary>Failures that a fresh attempt of the whole transaction can get past.</summary>
    public static bool IsRetryable(PostgresException e) => e.SqlState is SerializationFailure or DeadlockDetected;

    public static KeelException Translate(Exception exception, string server)
    {
        var store = $"The metadata store (PostgreSQL at {server})";
        if (exception is PostgresException p)
        {
            return p.SqlState switch
            {
                UniqueViolation => new KeelException(ErrorCode.ResourceAlreadyExists, "Resource already exists: " + p.MessageText, p),
                ForeignKeyViolation => new KeelException(ErrorCode.ResourceDoesNotExist, "Referenced resource does not exist: " + p.MessageText, p),
                SerializationFailure or DeadlockDetected => new KeelException(ErrorCode.TemporarilyUnavailable,
                    $"{store} kept conflicting with concurrent changes ({p.MessageText}); retry the request.", p),
                "53100" => StorageFaults.DiskFull(store, p.MessageText, p),
                "25006" => StorageFaults.ReadOnly(store, p.MessageText + "; is it a read-only standby?", p),
                "58030" => StorageFaults.IoFailure(store, p.MessageText, p),
                "3D000" => new KeelException(ErrorCode.TemporarilyUnavailable, $"{store} has no such database ({p.MessageText}); create it first.", p),
                _ when p.SqlState.StartsWith("28", StringComparison.Ordinal) => new KeelException(ErrorCode.TemporarilyUnavailable,
                    $"{store} refused the credentials ({p.MessageText}); check the user and password in --backend-store-uri.", p),
                _ when p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57P", StringComparison.Ordinal)
                    || p.SqlState is "53200" or "53300" => new KeelException(ErrorCode.TemporarilyUnavailable,
                    $"{store} cannot serve now ({p.MessageText}); retry the request.", p),
                _ when p.SqlState.StartsWith("23", StringComparison.Ordinal) => new KeelException(ErrorCode.InvalidParameterValue, p.MessageText, p),
                _ => new KeelException(ErrorCode.InternalError, $"PostgreSQL error {p.SqlState}: {p.MessageText}", p),
            };
        }

        var reason = exception.InnerException switch
        {
            SocketException s => s.Message,
            TimeoutException => "timed out",
            IOException io => io.Message,
            _ => exception.Message,
        };
        return new KeelException(ErrorCode.TemporarilyUnavailable, $"{store} is unreachable ({reason}); retry when it is back.", exception);
    }
}
