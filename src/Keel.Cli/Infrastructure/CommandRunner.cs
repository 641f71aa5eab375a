using System.CommandLine;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// Runs a command body and turns whatever it throws into one message on stderr and the exit code
/// of its class (<see cref="CliErrors"/>, <see cref="ExitCodes"/>): scripts branch on the code,
/// people read the message, and nobody sees a stack trace unless they ask with <c>--verbose</c>.
/// </summary>
internal static class CommandRunner
{
    public static void SetAsyncAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                return await body(result, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                return CliErrors.Report(ex);
            }
        });
}
