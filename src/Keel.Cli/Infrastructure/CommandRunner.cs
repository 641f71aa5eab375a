using System.CommandLine;
using Keel.Core.Errors;
using Spectre.Console;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// Runs a command body and turns a <see cref="KeelException"/> into a red message on stderr and an
/// exit code scripts can branch on: 2 invalid input, 3 not found, 4 waiting for approval (the change
/// was not made; a request was stored), 1 anything else.
/// </summary>
internal static class CommandRunner
{
    public const int InvalidInput = 2;
    public const int NotFound = 3;
    public const int Failure = 1;
    public const int PendingApproval = 4;

    // Created per use so a redirected Console.Error (tests, hosts) is the one written to.
    private static IAnsiConsole Stderr => CliConsole.Error();

    public static void SetAsyncAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                return await body(result, cancellationToken).ConfigureAwait(false);
            }
            catch (KeelException ex)
            {
                Stderr.MarkupLineInterpolated($"[red]error: {ErrorCodes.ToWire(ex.Code)}: {ex.Message}[/]");
                return ExitCode(ex.Code);
            }
            catch (Keel.Core.Governance.ApprovalRequiredException ex)
            {
                Stderr.MarkupLineInterpolated($"[yellow]{ex.Message}[/]");
                return PendingApproval;
            }
        });

    public static int ExitCode(ErrorCode code) => code switch
    {
        ErrorCode.InvalidParameterValue or ErrorCode.BadRequest => InvalidInput,
        ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound or ErrorCode.EndpointNotFound => NotFound,
        _ => Failure,
    };
}
