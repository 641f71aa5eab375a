using Keel.Cli.Infrastructure;
using Spectre.Console;

namespace Keel.Cli.Tests;

/// <summary>NO_COLOR and redirection turn colours and other escapes off, even where Spectre would keep bold.</summary>
[Collection("Console")]
public sealed class CliConsoleTests
{
    [Fact]
    public void No_color_turns_every_escape_off_even_on_a_terminal()
    {
        var text = WithEnvironment(new() { ["NO_COLOR"] = "1", ["TERM"] = "xterm-256color" }, () => Render(redirected: false));

        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("firing", text);
    }

    [Fact]
    public void Redirected_output_has_no_escapes_whatever_the_terminal_type()
    {
        var text = WithEnvironment(new() { ["NO_COLOR"] = null, ["TERM"] = "xterm-256color" }, () => Render(redirected: true));

        Assert.DoesNotContain('\u001b', text);
    }

    [Fact]
    public void An_empty_no_color_does_not_count()
    {
        var plain = WithEnvironment(new() { ["NO_COLOR"] = string.Empty }, () => CliConsole.Plain(redirected: false));

        Assert.False(plain);
    }

    private static string Render(bool redirected)
    {
        var writer = new StringWriter();
        CliConsole.Create(writer, redirected).MarkupLine("[bold red]firing[/] [underline]now[/]");
        return writer.ToString();
    }

    private static T WithEnvironment<T>(Dictionary<string, string?> variables, Func<T> action)
    {
        var saved = variables.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (k, v) in variables)
            {
                Environment.SetEnvironmentVariable(k, v);
            }

            return action();
        }
        finally
        {
            foreach (var (k, v) in saved)
            {
                Environment.SetEnvironmentVariable(k, v);
            }
        }
    }
}
