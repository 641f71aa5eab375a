using System.CommandLine;
using System.Text.Json;
using Keel.Cli.Infrastructure;
using Keel.Core.Errors;

namespace Keel.Cli.Tests;

/// <summary>
/// Issue 16: every error reaching the command line is one message and the exit code of its class;
/// a stack trace only with --verbose. The sweeps walk the whole command tree, so a new command
/// cannot escape them.
/// </summary>
[Collection("Console")]
public sealed class ErrorReportingTests
{
    private static readonly System.Text.RegularExpressions.Regex StackTrace = new(@"^\s+at [\w.`<>+\[\],]+\(.*\)", System.Text.RegularExpressions.RegexOptions.Multiline);

    [Fact]
    public void Each_error_class_has_its_exit_code_and_a_message_without_type_names()
    {
        Assert.Equal(ExitCodes.Unreachable, CliErrors.Classify(new HttpRequestException("Connection refused (127.0.0.1:9)")).ExitCode);
        Assert.Equal(ExitCodes.NotFound, CliErrors.Classify(new FileNotFoundException("nope", "/no/such.csv")).ExitCode);
        Assert.Contains("/no/such.csv", CliErrors.Classify(new FileNotFoundException("nope", "/no/such.csv")).Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.ValidationFailed, CliErrors.Classify(new JsonException("bad")).ExitCode);
        Assert.Equal(ExitCodes.PermissionDenied, CliErrors.Classify(new UnauthorizedAccessException("/etc/shadow")).ExitCode);
        Assert.Equal(ExitCodes.Interrupted, CliErrors.Classify(new OperationCanceledException()).ExitCode);
        Assert.Equal(ExitCodes.PendingApproval, CliErrors.Classify(new AggregateException(new Keel.Core.Governance.ApprovalRequiredException("The change waits for approval #1."))).ExitCode);
        Assert.Equal(ExitCodes.Conflict, CliErrors.Classify(KeelException.AlreadyExists("Experiment 'x' already exists.")).ExitCode);
        Assert.Equal(ExitCodes.Usage, CliErrors.Classify(new ConfigFileException("bad key")).ExitCode);
        var (code, message, hint) = CliErrors.Classify(new InvalidOperationException("Sequence contains no elements"));
        Assert.Equal(ExitCodes.Internal, code);
        Assert.Contains("Sequence contains no elements", message, StringComparison.Ordinal);
        Assert.Contains("--verbose", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stack_trace_is_shown_only_with_verbose()
    {
        var error = Thrown();
        var quiet = Capture(() => CliErrors.Report(error));
        Assert.Equal(ExitCodes.Internal, quiet.Exit);
        Assert.Contains("error:", quiet.Stderr, StringComparison.Ordinal);
        Assert.DoesNotMatch(StackTrace, quiet.Stderr);
        try
        {
            CliErrors.Verbose = true;
            var loud = Capture(() => CliErrors.Report(error));
            Assert.Matches(StackTrace, loud.Stderr);
            Assert.Contains(nameof(Thrown), loud.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            CliErrors.Verbose = false;
        }
    }

    [Fact]
    public async Task Every_command_refuses_an_unknown_option_with_exit_2_naming_it()
    {
        var leaves = Leaves(KeelCommandLine.Build()).ToList();
        Assert.True(leaves.Count > 80, $"the tree has {leaves.Count} commands");
        foreach (var path in leaves)
        {
            var run = await RunAsync([.. path, "--no-such-option"]);
            Assert.True(run.Exit == ExitCodes.Usage, $"keel {string.Join(' ', path)} --no-such-option exited {run.Exit}: {run.Stderr}");
            // A command that needs several arguments says that first.
            Assert.True(run.Stderr.Contains("Unknown option '--no-such-option'", StringComparison.Ordinal) || run.Stderr.Contains("needs", StringComparison.Ordinal), run.Stderr);
            Assert.Contains($"keel {string.Join(' ', path)} --help", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotMatch(StackTrace, run.Stderr);
            Assert.Equal(string.Empty, run.Stdout);
        }
    }

    [Fact]
    public async Task Every_command_with_a_required_argument_asks_for_it_by_name_with_exit_2()
    {
        var checkedCount = 0;
        foreach (var (path, command) in LeafCommands(KeelCommandLine.Build(), []))
        {
            var required = command.Arguments.FirstOrDefault(a => a.Arity.MinimumNumberOfValues > 0);
            if (required is null)
            {
                continue;
            }

            checkedCount++;
            var run = await RunAsync(path);
            Assert.True(run.Exit == ExitCodes.Usage, $"keel {string.Join(' ', path)} exited {run.Exit}: {run.Stderr}");
            Assert.Contains(required.Name.ToUpperInvariant(), run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotMatch(StackTrace, run.Stderr);
        }

        Assert.True(checkedCount > 30, $"{checkedCount} commands take a required argument");
    }

    [Theory]
    [InlineData("modls", "Unknown command 'modls'. Did you mean 'models'?")]
    [InlineData("models", "`keel models` needs a command: list")]
    [InlineData("experiments list --output xml", "'xml' is not a valid value for --output: it must be one of table, json.")]
    [InlineData("server --port abc", "'abc' is not a valid value for --port: it must be a whole number.")]
    [InlineData("experiments list --trackng-uri x", "Unknown option '--trackng-uri'. Did you mean '--tracking-uri'?")]
    public async Task A_command_line_that_cannot_be_parsed_says_what_in_words_with_exit_2(string line, string expected)
    {
        var run = await RunAsync(line.Split(' '));
        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains(expected, run.Stderr.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Keel.Cli", run.Stderr, StringComparison.Ordinal);
    }

    private static Exception Thrown()
    {
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }

    internal static IEnumerable<string[]> Leaves(Command root) => LeafCommands(root, []).Select(l => l.Path);

    private static IEnumerable<(string[] Path, Command Command)> LeafCommands(Command command, string[] path)
    {
        if (command.Subcommands.Count == 0 && path.Length > 0)
        {
            yield return (path, command);
        }

        foreach (var sub in command.Subcommands)
        {
            foreach (var leaf in LeafCommands(sub, [.. path, sub.Name]))
            {
                yield return leaf;
            }
        }
    }

    private static (int Exit, string Stdout, string Stderr) Capture(Func<int> action)
    {
        var (out0, err0) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = action();
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(out0);
            Console.SetError(err0);
        }
    }

    internal static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        var (out0, err0) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = await KeelCommandLine.RunAsync(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(out0);
            Console.SetError(err0);
        }
    }
}
