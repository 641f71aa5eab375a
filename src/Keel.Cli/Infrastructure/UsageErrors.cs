using System.CommandLine;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// A command line that cannot be parsed: each problem on one line in words a user knows (not .NET
/// type names), the nearest command for a misspelt one, where to read more, and exit code 2.
/// </summary>
internal static partial class UsageErrors
{
    /// <summary>The start of the error an argument gives a token that looks like an option.</summary>
    public const string UnknownOptionPrefix = "Unknown option '";

    /// <summary>
    /// Refuses, in every argument of the tree, a value that looks like an option (<c>--nam</c>): a
    /// misspelt option must not become an experiment's or a model's name.
    /// </summary>
    public static void RefuseOptionLikeArguments(Command command)
    {
        foreach (var argument in command.Arguments)
        {
            argument.Validators.Add(result =>
            {
                foreach (var token in result.Tokens)
                {
                    if (token.Value.StartsWith("--", StringComparison.Ordinal) && token.Value.Length > 2)
                    {
                        result.AddError($"{UnknownOptionPrefix}{token.Value}'.");
                    }
                }
            });
        }

        foreach (var sub in command.Subcommands)
        {
            RefuseOptionLikeArguments(sub);
        }
    }

    public static int Report(ParseResult parsed)
    {
        var console = CliConsole.Error();
        foreach (var message in Messages(parsed))
        {
            console.MarkupLineInterpolated($"[red]error:[/] {message}");
        }

        var path = CommandPath(parsed);
        console.MarkupLineInterpolated($"[grey]See `keel{(path.Length == 0 ? string.Empty : " " + path)} --help` for its usage and examples.[/]");
        return ExitCodes.Usage;
    }

    /// <summary>The problems of a parse, one message each, reworded for people.</summary>
    public static IReadOnlyList<string> Messages(ParseResult parsed)
    {
        var messages = new List<string>();
        var unknownCommand = false;
        var hasUnrecognized = parsed.Errors.Any(e => Unrecognized().IsMatch(e.Message));
        foreach (var error in parsed.Errors)
        {
            var text = error.Message;
            if (text.StartsWith("Required command was not provided", StringComparison.Ordinal))
            {
                if (hasUnrecognized)
                {
                    continue;
                }

                var path = CommandPath(parsed);
                text = $"`keel {path}` needs a command: {string.Join(", ", parsed.CommandResult.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}.";
            }
            else if (MissingArgument().Match(text) is { Success: true } a)
            {
                var missing = parsed.CommandResult.Command.Arguments.Where(x => x.Arity.MinimumNumberOfValues > 0 && parsed.GetResult(x) is null or { Tokens.Count: 0 }).Select(x => x.Name.ToUpperInvariant()).ToList();
                text = $"`keel {CommandPath(parsed)}` needs {(missing.Count == 0 ? "an argument" : string.Join(" and ", missing))}.";
            }
            else if (CannotParse().Match(text) is { Success: true } m)
            {
                var optionName = m.Groups["option"].Value;
                var option = parsed.CommandResult.Command.Options.Concat(AncestorOptions(parsed)).FirstOrDefault(o => o.Name == optionName || o.Aliases.Contains(optionName));
                var type = option?.ValueType is { } t ? Nullable.GetUnderlyingType(t) ?? t : null;
                var rule = type is { IsEnum: true } ? "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant())) : Expected(m.Groups["type"].Value);
                text = $"'{m.Groups["value"].Value}' is not a valid value for {optionName}: it must be {rule}.";
            }
            else if (NotRecognizedEnum().Match(text) is { Success: true } e)
            {
                var choices = Regex.Matches(e.Groups["choices"].Value, "'([^']+)'").Select(c => c.Groups[1].Value.ToLowerInvariant());
                text = $"'{e.Groups["value"].Value}' is not one of the choices: {string.Join(", ", choices)}.";
            }
            else if (text.StartsWith(UnknownOptionPrefix, StringComparison.Ordinal))
            {
                if (unknownCommand || messages.Any(x => x.StartsWith(UnknownOptionPrefix, StringComparison.Ordinal) && x.StartsWith(text.Split('.')[0], StringComparison.Ordinal)))
                {
                    continue;
                }

                var token = text[UnknownOptionPrefix.Length..].Split('\'')[0];
                if (DidYouMean.Nearest(token, parsed.CommandResult.Command.Options.Concat(AncestorOptions(parsed)).Select(o => o.Name)) is { } best)
                {
                    text = $"Unknown option '{token}'. Did you mean '{best}'?";
                }
            }
            else if (Unrecognized().Match(text) is { Success: true } u)
            {
                if (unknownCommand)
                {
                    continue; // after an unknown command the rest of the line means nothing
                }

                var token = u.Groups["token"].Value;
                var command = parsed.CommandResult.Command;
                var names = token.StartsWith('-')
                    ? command.Options.Concat(AncestorOptions(parsed)).Select(o => o.Name)
                    : command.Subcommands.Select(c => c.Name);
                var best = DidYouMean.Nearest(token, names);
                unknownCommand = !token.StartsWith('-') && command.Subcommands.Count > 0;
                text = token.StartsWith('-') ? $"Unknown option '{token}'." : unknownCommand ? $"Unknown command '{token}'." : $"Unexpected argument '{token}'.";
                if (best is not null)
                {
                    text += $" Did you mean '{best}'?";
                }
            }

            if (!messages.Contains(text))
            {
                messages.Add(text);
            }
        }

        return messages;
    }

    private static IEnumerable<Option> AncestorOptions(ParseResult parsed)
    {
        for (var r = parsed.CommandResult.Parent as System.CommandLine.Parsing.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            foreach (var o in r.Command.Options.Where(o => o.Recursive))
            {
                yield return o;
            }
        }
    }

    private static string Expected(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => "a whole number",
        "System.Double" or "System.Single" or "System.Decimal" or "System.Nullable`1[System.Double]" => "a number",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => "true or false",
        "System.TimeSpan" or "System.Nullable`1[System.TimeSpan]" => "a duration such as 00:05:00",
        "System.DateTimeOffset" or "System.DateTime" or "System.Nullable`1[System.DateTimeOffset]" => "a date and time such as 2026-01-31T12:00:00Z",
        "System.IO.FileInfo" or "System.IO.DirectoryInfo" => "a path",
        "System.Uri" => "a URI",
        _ => "a value of the right kind (see --help)",
    };

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var r = parsed.CommandResult; r is not null && r.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, r.Command.Name);
        }

        return string.Join(' ', names);
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command|argument) '(?<option>[^']+)' as expected type '(?<type>[^']+)'\..*$", RegexOptions.Singleline)]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of:(?<choices>.*)$", RegexOptions.Singleline)]
    private static partial Regex NotRecognizedEnum();

    [GeneratedRegex(@"^Required argument ('(?<argument>[^']*)' )?missing for command: '(?<command>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex MissingArgument();

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex Unrecognized();
}
