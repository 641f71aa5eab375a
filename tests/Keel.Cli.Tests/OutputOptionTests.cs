using System.CommandLine;
using Keel.Cli.Infrastructure;

namespace Keel.Cli.Tests;

/// <summary>Every command that prints results offers <c>-o/--output table|json</c>.</summary>
public sealed class OutputOptionTests
{
    /// <summary>Commands that act rather than print results, each with why it has no JSON form.</summary>
    private static readonly Dictionary<string, string> ActOnly = new(StringComparer.Ordinal)
    {
        ["server"] = "runs a server in the foreground until stopped; its log is the output",
        ["worker"] = "runs jobs until stopped; its log is the output",
        ["ui"] = "opens the web UI in a browser",
        ["login"] = "stores a token after an interactive sign-in",
        ["logout"] = "forgets a stored token",
        ["quickstart"] = "a guided tour that prints prose and progress for people, not results",
        ["pipelines init"] = "writes a starter pipeline file; the file is the result",
        ["deploy kubernetes"] = "writes manifests to a directory or stdout as YAML; the YAML is the result",
        ["package"] = "writes a package directory or image; the files are the result",
        ["predict"] = "writes predictions in the input's own format; --output names that file (a .json request answers on stdout as JSON)",
        ["features get-historical"] = "writes a training file; -o/--output names that file, as in Feast",
        ["audit export"] = "writes the audit log as JSON lines, already machine-readable",
        ["completion"] = "prints a shell script for bash, zsh or PowerShell; the script is the result",
    };

    [Fact]
    public void Every_command_that_prints_results_accepts_output_json()
    {
        var missing = Leaves(KeelCommandLine.Build(), string.Empty)
            .Where(c => !ActOnly.ContainsKey(c.Path))
            .Where(c => !c.Command.Options.Any(o => o is Option<OutputFormat> && o.Name == "--output" && o.Aliases.Contains("-o")))
            .Select(c => c.Path)
            .ToList();

        Assert.True(missing.Count == 0, "commands without -o/--output: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_allow_list_names_only_commands_that_exist()
    {
        var paths = Leaves(KeelCommandLine.Build(), string.Empty).Select(c => c.Path).ToHashSet(StringComparer.Ordinal);

        Assert.All(ActOnly.Keys, k => Assert.Contains(k, paths));
    }

    [Fact]
    public void A_command_on_the_allow_list_really_has_no_output_format()
    {
        var offering = Leaves(KeelCommandLine.Build(), string.Empty)
            .Where(c => ActOnly.ContainsKey(c.Path) && c.Command.Options.Any(o => o is Option<OutputFormat>))
            .Select(c => c.Path)
            .ToList();

        Assert.True(offering.Count == 0, "on the allow-list but offering --output: " + string.Join(", ", offering));
    }

    [Fact]
    public void Output_json_parses_on_a_command_that_had_no_store_options()
    {
        var root = KeelCommandLine.Build();

        var parsed = root.Parse(["endpoints", "delete", "churn", "-o", "json"]);

        Assert.Empty(parsed.Errors);
    }

    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string path)
    {
        if (command.Subcommands.Count == 0)
        {
            yield return (path, command);
            yield break;
        }

        foreach (var sub in command.Subcommands)
        {
            foreach (var leaf in Leaves(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}"))
            {
                yield return leaf;
            }
        }
    }
}
