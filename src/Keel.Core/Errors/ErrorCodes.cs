namespace Keel.Core.Errors;

/// <summary>The one table from error code to wire name and HTTP status (MLflow's ERROR_CODE_TO_HTTP_STATUS).</summary>
public static class ErrorCodes
{
    private static readonly Dictionary<ErrorCode, (string Wire, int Status)> Table = new()
    {
        [ErrorCode.InternalError] = ("INTERNAL_ERROR", 500),
        [ErrorCode.TemporarilyUnavailable] = ("TEMPORARILY_UNAVAILABLE", 503),
        [ErrorCode.BadRequest] = ("BAD_REQUEST", 400),
        [ErrorCode.InvalidParameterValue] = ("INVALID_PARAMETER_VALUE", 400),
        [ErrorCode.EndpointNotFound] = ("ENDPOINT_NOT_FOUND", 404),
        [ErrorCode.NotFound] = ("NOT_FOUND", 404),
        // MLflow answers 400, not 409, for an existing name; clients depend on it.
        [ErrorCode.ResourceAlreadyExists] = ("RESOURCE_ALREADY_EXISTS", 400),
        [ErrorCode.ResourceDoesNotExist] = ("RESOURCE_DOES_NOT_EXIST", 404),
        [ErrorCode.ResourceConflict] = ("RESOURCE_CONFLICT", 409),
        [ErrorCode.PermissionDenied] = ("PERMISSION_DENIED", 403),
        [ErrorCode.Unauthenticated] = ("UNAUTHENTICATED", 401),
        [ErrorCode.RequestLimitExceeded] = ("REQUEST_LIMIT_EXCEEDED", 429),
        [ErrorCode.InvalidState] = ("INVALID_STATE", 500),
        [ErrorCode.NotImplemented] = ("NOT_IMPLEMENTED", 501),
        [ErrorCode.DeadlineExceeded] = ("DEADLINE_EXCEEDED", 504),
        [ErrorCode.PayloadTooLarge] = ("PAYLOAD_TOO_LARGE", 413),
        // Storage faults (StorageFaults): MLflow's names, Keel's statuses. Not 500, which clients
        // treat as a server bug; a full disk is 507 so clients do not retry what cannot succeed yet.
        [ErrorCode.IoError] = ("IO_ERROR", 503),
        [ErrorCode.ResourceExhausted] = ("RESOURCE_EXHAUSTED", 507),
    };

    private static readonly Dictionary<string, ErrorCode> ByWire =
        Table.ToDictionary(kv => kv.Value.Wire, kv => kv.Key, StringComparer.Ordinal);

    /// <summary>The MLflow wire name of a code, e.g. <c>RESOURCE_DOES_NOT_EXIST</c>.</summary>
    /// <param name="code">The code.</param>
    public static string ToWire(ErrorCode code) => Table[code].Wire;

    /// <summary>The HTTP status the server answers with for a code.</summary>
    /// <param name="code">The code.</param>
    public static int HttpStatus(ErrorCode code) => Table[code].Status;

    /// <summary>Parses a wire name; an unknown name (another server's code) maps by HTTP status.</summary>
    /// <param name="wire">The <c>error_code</c> of an error body, or null.</param>
    /// <param name="httpStatus">The response's HTTP status.</param>
    public static ErrorCode FromWire(string? wire, int httpStatus)
    {
        if (wire is not null && ByWire.TryGetValue(wire, out var code))
        {
            return code;
        }

        return httpStatus switch
        {
            400 => ErrorCode.BadRequest,
            401 => ErrorCode.Unauthenticated,
            403 => ErrorCode.PermissionDenied,
            404 => ErrorCode.NotFound,
            409 => ErrorCode.ResourceConflict,
            413 => ErrorCode.PayloadTooLarge,
            429 => ErrorCode.RequestLimitExceeded,
            501 => ErrorCode.NotImplemented,
            503 => ErrorCode.TemporarilyUnavailable,
            504 => ErrorCode.DeadlineExceeded,
            507 => ErrorCode.ResourceExhausted,
            _ => ErrorCode.InternalError,
        };
    }
}
