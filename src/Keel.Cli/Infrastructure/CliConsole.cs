using Keel.Core.Configuration;
using Spectre.Console;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// How <c>keel</c> writes to the terminal: colours only on a terminal and never when
/// <c>NO_COLOR</c> is set (no-color.org), and the width tables fit into.
/// </summary>
internal static class CliConsole
{
    /// <summary>
    /// Replaces Spectre's default stdout console with one that has no colours or other ANSI
    /// escapes when stdout is redirected or <c>NO_COLOR</c> is set; Spectre alone would still
    /// style redirected output when TERM names a colour terminal.
    /// </summary>
    public static void Configure() => AnsiConsole.Console = Create(Console.Out, Console.IsOutputRedirected);

    /// <summary>
    /// A console on stderr, for errors, progress and notes, with the same colour rules. Redirected,
    /// it does not wrap (unless <c>COLUMNS</c> says a width): an error message stays one line a
    /// log or a script can grep.
    /// </summary>
    public static IAnsiConsole Error()
    {
        var console = Create(Console.Error, Console.IsErrorRedirected);
        if (Console.IsErrorRedirected)
        {
            console.Profile.Width = KeelEnvironment.WholeNumber(KeelEnvironment.Columns, 20, 100_000) ?? 100_000;
        }

        return console;
    }

    /// <summary>True when colours and other ANSI escapes are off for a stream.</summary>
    public static bool Plain(bool redirected) => redirected || KeelEnvironment.Text(KeelEnvironment.NoColor) is not null;

    /// <summary>
    /// The width a table must fit in: the terminal's when stdout is one; when redirected,
    /// <c>COLUMNS</c> if set, else null (no limit, so a pipe gets whole values to grep).
    /// </summary>
    public static int? TableWidth() =>
        !Console.IsOutputRedirected ? AnsiConsole.Profile.Width : KeelEnvironment.WholeNumber(KeelEnvironment.Columns, 20, 100_000);

    internal static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var plain = Plain(redirected);
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
    }
}
