namespace Keel.Core.Errors;

/// <summary>
/// Stable error codes. The names are MLflow's <c>ErrorCode</c> enum names, so the wire value of an
/// error is its name and MLflow clients recognise it.
/// </summary>
public enum ErrorCode
{
    /// <summary>An unexpected failure of the server (HTTP 500). MLflow clients retry it.</summary>
    InternalError,
    /// <summary>The server or a backend cannot answer now; retry later (HTTP 503).</summary>
    TemporarilyUnavailable,
    /// <summary>The request is malformed (HTTP 400).</summary>
    BadRequest,
    /// <summary>A field is missing or breaks a rule; the message names the field (HTTP 400).</summary>
    InvalidParameterValue,
    /// <summary>No such API route or serving endpoint (HTTP 404).</summary>
    EndpointNotFound,
    /// <summary>Not found, when nothing more specific applies (HTTP 404).</summary>
    NotFound,
    /// <summary>The name is taken (HTTP 400, as MLflow answers, not 409).</summary>
    ResourceAlreadyExists,
    /// <summary>An experiment, run, model, version or artifact does not exist (HTTP 404).</summary>
    ResourceDoesNotExist,
    /// <summary>The change conflicts with the current state, e.g. a finished rollout (HTTP 409).</summary>
    ResourceConflict,
    /// <summary>The caller may not do this (HTTP 403).</summary>
    PermissionDenied,
    /// <summary>The caller is not authenticated (HTTP 401).</summary>
    Unauthenticated,
    /// <summary>Too many requests, e.g. an endpoint at its concurrency limit; retry later (HTTP 429).</summary>
    RequestLimitExceeded,
    /// <summary>The entity is in a state that forbids the operation (HTTP 500, as MLflow maps it).</summary>
    InvalidState,
    /// <summary>The operation is not supported by this server or backend (HTTP 501).</summary>
    NotImplemented,
    /// <summary>The operation did not finish in the time allowed (HTTP 504).</summary>
    DeadlineExceeded,
    /// <summary>The request body or batch is larger than allowed (HTTP 413).</summary>
    PayloadTooLarge,

    /// <summary>A store could not read or write its files (read-only file system, permissions, I/O error); 503.</summary>
    IoError,

    /// <summary>A store ran out of space (disk full); 507 Insufficient Storage.</summary>
    ResourceExhausted,
}
