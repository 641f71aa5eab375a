namespace Keel.Core.Errors;

/// <summary>
/// Stable error codes. The names are MLflow's <c>ErrorCode</c> enum names, so the wire value of an
/// error is its name and MLflow clients recognise it.
/// </summary>
public enum ErrorCode
{
    InternalError,
    TemporarilyUnavailable,
    BadRequest,
    InvalidParameterValue,
    EndpointNotFound,
    NotFound,
    ResourceAlreadyExists,
    ResourceDoesNotExist,
    ResourceConflict,
    PermissionDenied,
    Unauthenticated,
    RequestLimitExceeded,
    InvalidState,
    NotImplemented,
    DeadlineExceeded,
    PayloadTooLarge,

    /// <summary>A store could not read or write its files (read-only file system, permissions, I/O error); 503.</summary>
    IoError,

    /// <summary>A store ran out of space (disk full); 507 Insufficient Storage.</summary>
    ResourceExhausted,
}
