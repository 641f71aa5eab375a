using System.CommandLine;
using System.Text.RegularExpressions;
using Keel.Cli.Infrastructure;

namespace Keel.Cli.Tests.Help;

/// <summary>Every command explains itself: a one-line summary, examples that parse, the options that matter first.</summary>
public sealed partial class HelpTests
{
    private static readonly string[] SharedLast = ["--tracking-uri", "--data-dir", "--output"];

    public static TheoryData<string> CommandPaths()
    {
        var data = new TheoryData<string>();
        foreach (var (path, _) in CommandTree.Walk(KeelCommandLine.Build()))
        {
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void Every_command_has_a_one_sentence_summary_on_one_line(string path)
    {
        var description = Find(path).Description;
        Assert.False(string.IsNullOrWhiteSpace(description), $"'keel {path}' has no description");
        Assert.DoesNotContain('\n', description);
        Assert.True(description.Length <= 120, $"'keel {path}' has a summary of {description.Length} characters; move details to CommandDetails: {description}");
        Assert.EndsWith(".", description, StringComparison.Ordinal);
        Assert.False(SentenceBreak().IsMatch(description), $"'keel {path}' has more than one sentence: {description}");
    }

    [Fact]
    public void Every_leaf_command_has_examples_and_every_example_belongs_to_a_command()
    {
        var paths = CommandTree.Walk(KeelCommandLine.Build()).ToDictionary(c => c.Path, c => c.Command);
        var leavesWithout = paths.Where(p => p.Value.Subcommands.Count == 0 && !CommandExamples.All.ContainsKey(p.Key)).Select(p => p.Key).ToList();
        Assert.True(leavesWithout.Count == 0, "Leaf commands without examples: " + string.Join(", ", leavesWithout));
        var orphans = CommandExamples.All.Keys.Where(k => !paths.ContainsKey(k)).ToList();
        Assert.True(orphans.Count == 0, "Examples for commands that do not exist: " + string.Join(", ", orphans));
        var orphanDetails = CommandDetails.All.Keys.Where(k => !paths.ContainsKey(k)).ToList();
        Assert.True(orphanDetails.Count == 0, "Details for commands that do not exist: " + string.Join(", ", orphanDetails));
    }

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, examples) in CommandExamples.All)
        {
            foreach (var example in examples)
            {
                data.Add(path, example.Line);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_parses_against_the_tree_and_runs_its_own_command(string path, string line)
    {
        Assert.StartsWith("keel ", line, StringComparison.Ordinal);
        // An example may end in a shell redirection (keel completion bash > FILE); what keel receives must parse.
        var arguments = WithoutRedirection(line["keel ".Length..]);
        var result = KeelCommandLine.Build().Parse(arguments);
        Assert.True(result.Errors.Count == 0, $"'{line}' does not parse: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        var ran = CommandTree.PathOf(result.CommandResult.Command);
        Assert.True(path.Length == 0 || ran == path || ran.StartsWith(path + " ", StringComparison.Ordinal), $"'{line}' runs 'keel {ran}', not 'keel {path}'");
        Assert.NotEmpty(CommandExamples.All[path].Single(e => e.Line == line).Comment);
    }

    [Fact]
    public void Every_root_command_is_in_exactly_one_help_group()
    {
        var root = KeelCommandLine.Build();
        var grouped = KeelHelp.RootGroups.SelectMany(g => g.Commands).ToList();
        Assert.Equal(grouped.Count, grouped.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(root.Subcommands.Select(c => c.Name).Order(StringComparer.Ordinal), grouped.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CommandPaths))]
    public void Required_options_come_first_and_where_and_how_to_print_come_last(string path)
    {
        var options = Find(path).Options.Where(o => o is not System.CommandLine.Help.HelpOption && o is not VersionOption).ToList();
        var shared = options.Where(IsShared).ToList();
        Assert.Equal(shared, options.Skip(options.Count - shared.Count));
        var own = options.Take(options.Count - shared.Count).ToList();
        var required = own.Count(o => o.Required);
        Assert.All(own.Take(required), o => Assert.True(o.Required, $"'keel {path}': {o.Name} is not required but precedes a required option"));
        Assert.All(own.Skip(required), o => Assert.False(o.Required, $"'keel {path}': required {o.Name} follows an optional one"));
    }

    [Fact]
    public void Models_help_shows_its_examples_after_its_commands()
    {
        var help = Help("models", "--help");
        Assert.Contains("Commands:", help, StringComparison.Ordinal);
        var examples = help.IndexOf("Examples:", StringComparison.Ordinal);
        Assert.True(examples > help.IndexOf("Commands:", StringComparison.Ordinal), help);
        Assert.Contains("  # Registered models", help[examples..], StringComparison.Ordinal);
        Assert.Contains("  keel models list", help[examples..], StringComparison.Ordinal);
    }

    [Fact]
    public void A_leaf_help_shows_its_required_option_before_the_shared_ones_and_its_examples()
    {
        var help = Help("models", "download", "--help");
        var dest = help.IndexOf("--dest", StringComparison.Ordinal);
        Assert.True(dest > 0 && dest < help.IndexOf("--tracking-uri", StringComparison.Ordinal) && dest < help.IndexOf("--output", StringComparison.Ordinal), help);
        Assert.Contains("keel models download models:/breast-cancer@champion --dest ./model", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_of_a_command_with_details_shows_them_under_its_summary()
    {
        var help = Help("pipelines", "apply", "--help");
        var summary = help.IndexOf("Check a pipeline definition", StringComparison.Ordinal);
        var details = help.IndexOf("Cycles, unknown step types", StringComparison.Ordinal);
        Assert.True(summary >= 0 && details > summary && details < help.IndexOf("Usage:", StringComparison.Ordinal), help);
    }

    [Fact]
    public void Root_help_describes_the_loop_and_starts_with_quickstart_server_and_ui()
    {
        var help = Help("--help");
        foreach (var word in new[] { "MLflow", "registry", "approval", "canary", "monitor", "alert", "pipelines", "feature store", "web UI" })
        {
            Assert.Contains(word, help, StringComparison.OrdinalIgnoreCase);
        }

        var start = help.IndexOf("Start here:", StringComparison.Ordinal);
        Assert.True(start > help.IndexOf("Usage:", StringComparison.Ordinal), help);
        var options = help.IndexOf("Options:", StringComparison.Ordinal);
        Assert.True(options > start, "the root's options come after its commands");
        var commands = CommandRows().Matches(help[start..options]).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["quickstart", "server", "ui"], commands.Take(3));
        Assert.Equal(KeelCommandLine.Build().Subcommands.Count, commands.Count);
    }

    [Fact]
    public void Help_still_shows_when_required_values_are_missing()
    {
        var output = new StringWriter();
        var exit = KeelCommandLine.Build().Parse(["endpoints", "canary", "--help"]).Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("Examples:", output.ToString(), StringComparison.Ordinal);
    }

    private static string Help(params string[] args)
    {
        var output = new StringWriter();
        KeelCommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return output.ToString();
    }

    private static Command Find(string path) => CommandTree.Walk(KeelCommandLine.Build()).Single(c => c.Path == path).Command;

    private static bool IsShared(Option option) =>
        SharedLast.Contains(option.Name) && (option.Name != "--output" || option.ValueType == typeof(OutputFormat));

    [GeneratedRegex(@"[.!?]\s+[A-Z]")]
    private static partial Regex SentenceBreak();

    // The command line up to the first > or | outside quotes.
    private static string WithoutRedirection(string line)
    {
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is '>' or '|')
            {
                return line[..i];
            }
        }

        return line;
    }

    [GeneratedRegex(@"^  ([a-z][a-z-]*)\b", RegexOptions.Multiline)]
    private static partial Regex CommandRows();
}
