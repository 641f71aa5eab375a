using System.Data.Common;
using System.Net.Sockets;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Governance;
using Spectre.Console;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// Every error that reaches the command line becomes one message on stderr (what was wrong, and how
/// to fix it where Keel knows) and the exit code of its class (<see cref="ExitCodes"/>). The
/// exception's type and stack trace are shown only with <c>--verbose</c>: a stack trace helps the
/// people who build Keel, not the people who use it.
/// </summary>
internal static class CliErrors
{
    private static volatile bool _verbose;

    /// <summary>Whether <c>--verbose</c> was given: errors then carry their details and stack trace.</summary>
    public static bool Verbose
    {
        get => _verbose;
        set => _verbose = value;
    }

    // Created per use so a redirected Console.Error (tests, hosts) is the one written to.
    private static IAnsiConsole Stderr => CliConsole.Error();

    /// <summary>Prints the error and returns the exit code of its class.</summary>
    /// <param name="error">What the command threw.</param>
    public static int Report(Exception error)
    {
        var (code, message, hint) = Classify(error);
        try
        {
            Write(error, code, message, hint);
        }
        catch (Exception writeError) when (writeError is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // stderr closed or gone (`2>&-`, a host that disposed its writer): the message is lost,
            // but scripts still branch on the exit code, so it must stay the error's own.
        }

        return code;
    }

    private static void Write(Exception error, int code, string message, string? hint)
    {
        var console = Stderr;
        if (code == ExitCodes.PendingApproval)
        {
            console.MarkupLineInterpolated($"[yellow]{message}[/]");
        }
        else if (code == ExitCodes.Interrupted)
        {
            console.MarkupLineInterpolated($"[yellow]{message}[/]");
        }
        else
        {
            console.MarkupLineInterpolated($"[red]error:[/] {message}");
        }

        if (hint is not null)
        {
            console.MarkupLineInterpolated($"[grey]{hint}[/]");
        }

        if (Verbose)
        {
            // Plain text: the details are for pasting into a bug report.
            Console.Error.WriteLine();
            Console.Error.WriteLine(error.ToString());
        }
    }

    /// <summary>The exit code, the one-line message and an optional hint for an error.</summary>
    /// <param name="error">What the command threw.</param>
    public static (int ExitCode, string Message, string? Hint) Classify(Exception error)
    {
        error = Unwrap(error);
        switch (error)
        {
            case ConfigFileException config:
                return (ExitCodes.Usage, config.Message, "Fix the file, or point --config (KEEL_CONFIG) at another; docs/cli.md lists the keys.");
            case ApprovalRequiredException approval:
                return (ExitCodes.PendingApproval, approval.Message, null);
            case KeelException keel:
                return FromKeel(keel);
            case OperationCanceledException:
                return (ExitCodes.Interrupted, "Interrupted.", null);
            case HttpRequestException http:
                return (ExitCodes.Unreachable, $"Could not reach the server: {http.Message}", UnreachableHint);
            case TimeoutException timeout:
                return (ExitCodes.Unreachable, $"Timed out: {timeout.Message}", UnreachableHint);
            case SocketException socket:
                return (ExitCodes.Unreachable, $"Could not connect: {socket.Message}", UnreachableHint);
            case FileNotFoundException file:
                return (ExitCodes.NotFound, file.FileName is { Length: > 0 } name ? $"File not found: {name}" : file.Message, null);
            case DirectoryNotFoundException directory:
                return (ExitCodes.NotFound, directory.Message, null);
            case UnauthorizedAccessException access:
                return (ExitCodes.PermissionDenied, $"Permission denied: {access.Message}", "Check the file's owner and mode, or choose another path.");
            case JsonException json:
                return (ExitCodes.ValidationFailed, $"Invalid JSON: {json.Message}", null);
            case YamlDotNet.Core.YamlException yaml:
                return (ExitCodes.ValidationFailed, $"Invalid YAML at line {yaml.Start.Line}, column {yaml.Start.Column}: {yaml.Message}", null);
            case DbException db:
                return FromDatabase(db);
            case IOException io:
                return (ExitCodes.Internal, io.Message, "A file or disk error; check the path and the free space, then try again.");
        }

        if (IsStoreConnection(error))
        {
            return (ExitCodes.Unreachable, error.Message, "Check that the store is running and its address, credentials and network are right (keel doctor checks them).");
        }

        return (ExitCodes.Internal, $"Internal error ({error.GetType().Name}): {error.Message}",
            Verbose ? "This is a bug in Keel; please report it with the details below." : "This is a bug in Keel; run the command again with --verbose and report what it prints.");
    }

    /// <summary>The exit code of a Keel error code.</summary>
    /// <param name="code">The error code.</param>
    public static int ExitCode(ErrorCode code) => code switch
    {
        ErrorCode.InvalidParameterValue or ErrorCode.BadRequest or ErrorCode.PayloadTooLarge or ErrorCode.NotImplemented => ExitCodes.ValidationFailed,
        ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound or ErrorCode.EndpointNotFound => ExitCodes.NotFound,
        ErrorCode.ResourceAlreadyExists or ErrorCode.ResourceConflict or ErrorCode.InvalidState => ExitCodes.Conflict,
        ErrorCode.PermissionDenied or ErrorCode.Unauthenticated => ExitCodes.PermissionDenied,
        ErrorCode.TemporarilyUnavailable or ErrorCode.DeadlineExceeded or ErrorCode.RequestLimitExceeded => ExitCodes.Unreachable,
        _ => ExitCodes.Internal,
    };

    private const string UnreachableHint = "Is the server running? Start one with `keel server`, or point --tracking-uri (KEEL_TRACKING_URI) at it; `keel doctor` checks the connection.";

    private static (int, string, string?) FromKeel(KeelException keel)
    {
        var code = ExitCode(keel.Code);
        var hint = code switch
        {
            ExitCodes.Unreachable => UnreachableHint,
            ExitCodes.PermissionDenied when keel.Code == ErrorCode.Unauthenticated => "Sign in with `keel login`, or set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN).",
            ExitCodes.PermissionDenied => "Ask an admin for the permission (keel permissions, keel roles).",
            ExitCodes.Internal when keel.Code == ErrorCode.InternalError => "The server reported an internal error; its log has the details.",
            _ => null,
        };
        return (code, keel.Message, hint);
    }

    private static (int, string, string?) FromDatabase(DbException db)
    {
        // PostgreSQL's SQLSTATE classes: 08 connection, 28 authentication, 3D no such database.
        var state = db.SqlState ?? string.Empty;
        if (state.StartsWith("28", StringComparison.Ordinal))
        {
            return (ExitCodes.PermissionDenied, $"The database refused the credentials: {db.Message}", "Check the user and password in the backend store URI.");
        }

        if (state.StartsWith("3D", StringComparison.Ordinal))
        {
            return (ExitCodes.NotFound, $"The database does not exist: {db.Message}", "Create it (createdb), or fix the database name in the backend store URI.");
        }

        if (state.StartsWith("08", StringComparison.Ordinal) || db.InnerException is SocketException or TimeoutException || db.IsTransient)
        {
            return (ExitCodes.Unreachable, $"Could not reach the database: {db.Message}", "Check that PostgreSQL is running and the host and port of the backend store URI (keel doctor checks them).");
        }

        return (ExitCodes.Internal, $"Database error: {db.Message}", Verbose ? null : "Run the command again with --verbose for the details.");
    }

    // The stores' client libraries (StackExchange.Redis, the AWS SDK) throw their own types when
    // the service cannot be reached; matched by name so the CLI needs no reference to each.
    private static bool IsStoreConnection(Exception error) =>
        error.GetType().FullName is "StackExchange.Redis.RedisConnectionException" or "StackExchange.Redis.RedisTimeoutException"
        || (error.GetType().FullName?.StartsWith("Amazon.", StringComparison.Ordinal) == true && error.InnerException is HttpRequestException or SocketException);

    private static Exception Unwrap(Exception error)
    {
        while (true)
        {
            switch (error)
            {
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    error = aggregate.InnerExceptions[0];
                    continue;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    error = inner;
                    continue;
                case TypeInitializationException { InnerException: { } inner }:
                    error = inner;
                    continue;
                default:
                    return error;
            }
        }
    }
}
