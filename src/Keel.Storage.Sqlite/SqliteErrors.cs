using Keel.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Keel.Storage.Sqlite;

/// <summary>Translates driver errors at the store boundary so SqliteException never leaks to callers.</summary>
internal static class SqliteErrors
{
    private const string Store = "The metadata store (SQLite)";
    private const int SqlitePerm = 3;
    private const int SqliteBusy = 5;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteLocked = 6;
    private const int SqliteConstraint = 19;
    private const int ConstraintPrimaryKey = 1555;
    private const int ConstraintUnique = 2067;
    private const int ConstraintForeignKey = 787;

    public static KeelException Translate(SqliteException exception) => exception.SqliteErrorCode switch
    {
        SqliteConstraint when exception.SqliteExtendedErrorCode is ConstraintUnique or ConstraintPrimaryKey =>
            new KeelException(ErrorCode.ResourceAlreadyExists, "Resource already exists: " + exception.Message, exception),
        SqliteConstraint when exception.SqliteExtendedErrorCode == ConstraintForeignKey =>
            new KeelException(ErrorCode.ResourceDoesNotExist, "Referenced resource does not exist: " + exception.Message, exception),
        SqliteConstraint => new KeelException(ErrorCode.InvalidParameterValue, exception.Message, exception),
        SqliteBusy or SqliteLocked => new KeelException(ErrorCode.TemporarilyUnavailable, "The database is busy; retry the request.", exception),
        SqliteFull => StorageFaults.DiskFull(Store, exception.Message, exception),
        SqliteReadOnly or SqlitePerm => StorageFaults.ReadOnly(Store, exception.Message, exception),
        SqliteIoErr or SqliteCantOpen => StorageFaults.IoFailure(Store, exception.Message, exception),
        _ => new KeelException(ErrorCode.InternalError, "SQLite error: " + exception.Message, exception),
    };

    public static bool IsUniqueViolation(SqliteException exception) =>
        exception.SqliteErrorCode == SqliteConstraint && exception.SqliteExtendedErrorCode is ConstraintUnique or ConstraintPrimaryKey;
}
