using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// `--help` for every command: System.CommandLine's own help, completed by <see cref="KeelHelp"/>. Version 3.0
/// keeps its help builder internal, so the default help is captured and extended rather than re-laid out.
/// </summary>
internal sealed class KeelHelpAction(HelpAction inner) : SynchronousCommandLineAction
{
    /// <summary>`keel models canary --help` shows help even though the command's required values are missing.</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var (exitCode, text) = Capture(inner, parseResult);
        var output = parseResult.InvocationConfiguration.Output;

        // Wide terminals get long lines of prose; 100 columns stays readable.
        var width = Math.Min(inner.MaxWidth, 100);
        output.Write(KeelHelp.Complete(text, parseResult.CommandResult.Command, width));
        return exitCode;
    }

    /// <summary>Runs <paramref name="action"/> with its output captured: its exit code and what it wrote.</summary>
    internal static (int ExitCode, string Output) Capture(SynchronousCommandLineAction action, ParseResult parseResult)
    {
        var configuration = parseResult.InvocationConfiguration;
        var output = configuration.Output;
        using var captured = new StringWriter();
        configuration.Output = captured;
        try
        {
            return (action.Invoke(parseResult), captured.ToString());
        }
        finally
        {
            configuration.Output = output;
        }
    }
}
