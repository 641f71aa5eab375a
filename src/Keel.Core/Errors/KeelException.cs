namespace Keel.Core.Errors;

/// <summary>
/// The one exception family of Keel. It keeps its <see cref="ErrorCode"/> end to end: the server
/// maps it to an HTTP status, the SDK rebuilds it from the response, the CLI maps it to an exit code.
/// </summary>
public class KeelException : Exception
{
    /// <summary>Creates an error with a code and a message meant for the user.</summary>
    /// <param name="code">The stable code; it decides the HTTP status and the CLI exit code.</param>
    /// <param name="message">What went wrong, naming the field or entity (MLflow's wording where MLflow has one).</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public KeelException(ErrorCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    /// <summary>Creates an INTERNAL_ERROR with a generic message.</summary>
    public KeelException()
        : this(ErrorCode.InternalError, "Internal error")
    {
    }

    /// <summary>Creates an INTERNAL_ERROR.</summary>
    /// <param name="message">What went wrong.</param>
    public KeelException(string message)
        : this(ErrorCode.InternalError, message)
    {
    }

    /// <summary>Creates an INTERNAL_ERROR wrapping another exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying exception.</param>
    public KeelException(string message, Exception innerException)
        : this(ErrorCode.InternalError, message, innerException)
    {
    }

    /// <summary>The stable error code.</summary>
    public ErrorCode Code { get; }

    /// <summary>The HTTP status of <see cref="Code"/>.</summary>
    public int HttpStatus => ErrorCodes.HttpStatus(Code);

    /// <summary>An INVALID_PARAMETER_VALUE error (HTTP 400).</summary>
    /// <param name="message">Names the field and the rule it breaks.</param>
    public static KeelException InvalidParameter(string message) => new(ErrorCode.InvalidParameterValue, message);

    /// <summary>A RESOURCE_DOES_NOT_EXIST error (HTTP 404).</summary>
    /// <param name="message">Names what was not found.</param>
    public static KeelException NotFound(string message) => new(ErrorCode.ResourceDoesNotExist, message);

    /// <summary>A RESOURCE_ALREADY_EXISTS error (HTTP 400, as in MLflow).</summary>
    /// <param name="message">Names what exists.</param>
    public static KeelException AlreadyExists(string message) => new(ErrorCode.ResourceAlreadyExists, message);

    /// <summary>MLflow's wording for a missing required field.</summary>
    /// <param name="field">The wire name of the field, e.g. <c>run_id</c>.</param>
    public static KeelException MissingParameter(string field) =>
        InvalidParameter($"Missing value for required parameter '{field}'. See the API docs for more information about request parameters.");
}
