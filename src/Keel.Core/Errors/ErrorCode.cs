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
}
