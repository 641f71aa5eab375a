using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Invocation;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// Tab completion through System.CommandLine's [suggest:POSITION] directive, which `keel completion` scripts call:
/// enum values offered as users type them (`--output table`), and the help option's Windows-style aliases left
/// out of what a shell offers.
/// </summary>
internal static class KeelCompletion
{
    private static readonly HashSet<string> Unoffered = new(StringComparer.Ordinal) { "-?", "/?", "/h" };

    public static void Configure(RootCommand root)
    {
        foreach (var (_, command) in CommandTree.Walk(root))
        {
            foreach (var option in command.Options)
            {
                LowercaseEnumValues(option.ValueType, option.CompletionSources);
            }

            foreach (var argument in command.Arguments)
            {
                LowercaseEnumValues(argument.ValueType, argument.CompletionSources);
            }
        }

        var suggest = root.Directives.OfType<SuggestDirective>().Single();
        if (suggest.Action is SynchronousCommandLineAction inner)
        {
            suggest.Action = new FilteredSuggestions(inner);
        }
    }

    // Enums parse case-insensitively, but System.CommandLine offers their names as declared (Table, Json).
    // One-word names are offered in lower case; names such as ActiveOnly stay as documented.
    private static void LowercaseEnumValues(Type valueType, List<Func<CompletionContext, IEnumerable<CompletionItem>>> sources)
    {
        var type = Nullable.GetUnderlyingType(valueType) ?? valueType;
        if (!type.IsEnum)
        {
            return;
        }

        var names = Enum.GetNames(type);
        if (names.Any(n => n.Skip(1).Any(char.IsUpper)))
        {
            return;
        }

        sources.Clear();
        sources.Add(names.Select(n => n.ToLowerInvariant()).ToArray());
    }

    private sealed class FilteredSuggestions(SynchronousCommandLineAction inner) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var (exitCode, text) = KeelHelpAction.Capture(inner, parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            foreach (var line in text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Unoffered.Contains(line))
                {
                    output.WriteLine(line);
                }
            }

            return exitCode;
        }
    }
}
