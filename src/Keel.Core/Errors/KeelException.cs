namespace Keel.Core.Errors;

/// <summary>
/// The one exception family of Keel. It keeps its <see cref="ErrorCode"/> end to end: the server
/// maps it to an HTTP status, the SDK rebuilds it from the response, the CLI maps it to an exit code.
/// </summary>
public class KeelException : Exception
{
    public KeelException(ErrorCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public KeelException()
        : this(ErrorCode.InternalError, "Internal error")
    {
    }

    public KeelException(string message)
        : this(ErrorCode.InternalError, message)
    {
    }

    public KeelException(string message, Exception innerException)
        : this(ErrorCode.InternalError, message, innerException)
    {
    }

    public ErrorCode Code { get; }

    public int HttpStatus => ErrorCodes.HttpStatus(Code);

    public static KeelException InvalidParameter(string message) => new(ErrorCode.InvalidParameterValue, message);

    public static KeelException NotFound(string message) => new(ErrorCode.ResourceDoesNotExist, message);

    public static KeelException AlreadyExists(string message) => new(ErrorCode.ResourceAlreadyExists, message);

    /// <summary>MLflow's wording for a missing required field.</summary>
    public static KeelException MissingParameter(string field) =>
        InvalidParameter($"Missing value for required parameter '{field}'. See the API docs for more information about request parameters.");
}
