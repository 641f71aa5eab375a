using System.CommandLine;
using Keel.Cli.Infrastructure;

namespace Keel.Cli.Commands.Completion;

/// <summary>keel completion bash|zsh|pwsh: the shell script that completes keel's commands and options.</summary>
internal static class CompletionCommand
{
    public static Command Create()
    {
        var shell = new Argument<Shell>("shell") { Description = "The shell: bash, zsh or pwsh." };
        var command = new Command("completion", "Print a shell script that completes keel's commands, options and values.") { shell };
        command.SetAction(result =>
        {
            result.InvocationConfiguration.Output.Write(CompletionScripts.For(result.GetValue(shell)));
            return ExitCodes.Success;
        });
        return command;
    }
}
